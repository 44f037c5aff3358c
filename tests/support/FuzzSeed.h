#pragma once

// Seeds for the fuzz targets (fuzz/targets/), taken from the test tables: when
// HANDOFF_FUZZ_SEED_DIR is set, recordFuzzSeed() writes an input a test hands to
// a parser into <dir>/<target>/<SHA-1 of the bytes>, the corpus layout libFuzzer
// reads. `scripts/fuzz seeds` runs the table-driven tests that way to refresh
// fuzz/corpus/. Without the variable it does nothing, so the tests call it freely.
//
// `prefix` goes before the input, for targets whose first byte picks a mode
// (v2_record, jwt: 0x00 is "the bytes as anyone may send them").

#include <QByteArray>
#include <QByteArrayView>
#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QString>
#include <QtGlobal>

namespace handoff::testutil {

inline void recordFuzzSeed(const char* target, QByteArrayView input, QByteArrayView prefix = {})
{
    const QString root = qEnvironmentVariable("HANDOFF_FUZZ_SEED_DIR");
    if (root.isEmpty()) {
        return;
    }
    const QByteArray bytes = prefix.toByteArray() + input.toByteArray();
    const QString dir = root + QLatin1Char('/') + QLatin1String(target);
    QDir().mkpath(dir);
    QFile file(dir + QLatin1Char('/')
               + QString::fromLatin1(QCryptographicHash::hash(bytes, QCryptographicHash::Sha1).toHex()));
    if (file.open(QIODevice::WriteOnly)) {
        file.write(bytes);
    }
}

inline void recordFuzzSeed(const char* target, const QByteArray& input, QByteArrayView prefix = {})
{
    recordFuzzSeed(target, QByteArrayView(input), prefix);
}

inline void recordFuzzSeed(const char* target, const QString& input, QByteArrayView prefix = {})
{
    recordFuzzSeed(target, QByteArrayView(input.toUtf8()), prefix);
}

} // namespace handoff::testutil
