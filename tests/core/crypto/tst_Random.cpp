// Random bytes, base62 ids and base64url tokens: lengths, alphabets, distinctness
// and the absence of modulo bias in base62.

#include "core/crypto/Random.h"

#include <QSet>
#include <QTest>

#include <algorithm>
#include <array>

using handoff::crypto::Random;

namespace {

const QByteArray base62Characters("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz");
const QByteArray base64UrlAlphabet("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_");

bool onlyFrom(const QByteArray& text, const QByteArray& alphabet)
{
    return std::all_of(text.begin(), text.end(), [&alphabet](char c) { return alphabet.contains(c); });
}

} // namespace

class TestRandom final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void bytesLengths();
    void bytesDistinct();
    void badLengths();
    void base62Lengths();
    void base62Alphabet();
    void base62Distinct();
    void base62Unbiased();
    void tokenLengths();
    void tokenAlphabetAndDecoding();
};

void TestRandom::bytesLengths()
{
    for (const qsizetype count : { 0, 1, 12, 16, 32, 1000, 100000 }) {
        const auto result = Random::bytes(count);
        QVERIFY(result.ok());
        QCOMPARE(result->size(), count);
    }
}

void TestRandom::bytesDistinct()
{
    QSet<QByteArray> seen;
    for (int i = 0; i < 1000; ++i) {
        const auto result = Random::bytes(16);
        QVERIFY(result.ok());
        seen.insert(*result);
    }
    QCOMPARE(seen.size(), 1000);
    // 4 KiB of random bytes are not all zero.
    const auto big = Random::bytes(4096);
    QVERIFY(big.ok());
    QVERIFY(*big != QByteArray(4096, '\0'));
}

void TestRandom::badLengths()
{
    for (const qsizetype count : { qsizetype(-1), qsizetype(-100), qsizetype(1) << 40 }) {
        const auto bytes = Random::bytes(count);
        QVERIFY(!bytes.ok());
        QCOMPARE(bytes.error().code, QStringLiteral("invalid_length"));
        const auto base62 = Random::base62(count);
        QVERIFY(!base62.ok());
        QCOMPARE(base62.error().code, QStringLiteral("invalid_length"));
        const auto token = Random::token(count);
        QVERIFY(!token.ok());
        QCOMPARE(token.error().code, QStringLiteral("invalid_length"));
    }
}

void TestRandom::base62Lengths()
{
    for (const qsizetype length : { 0, 1, 22, 32, 1000 }) {
        const auto result = Random::base62(length);
        QVERIFY(result.ok());
        QCOMPARE(result->size(), length);
    }
}

void TestRandom::base62Alphabet()
{
    for (int i = 0; i < 100; ++i) {
        const auto result = Random::base62(64);
        QVERIFY(result.ok());
        QVERIFY2(onlyFrom(*result, base62Characters), result->constData());
    }
}

void TestRandom::base62Distinct()
{
    QSet<QByteArray> seen;
    for (int i = 0; i < 1000; ++i) {
        const auto result = Random::base62(22);
        QVERIFY(result.ok());
        seen.insert(*result);
    }
    QCOMPARE(seen.size(), 1000);
}

void TestRandom::base62Unbiased()
{
    // 62,000 characters: about 1,000 of each, standard deviation about 31. A plain
    // "byte % 62" would give the first eight characters about 1,240 each.
    const auto result = Random::base62(qsizetype(62) * 1000);
    QVERIFY(result.ok());
    std::array<int, 256> counts {};
    for (const char c : *result) {
        ++counts[static_cast<unsigned char>(c)];
    }
    for (const char c : base62Characters) {
        const int count = counts[static_cast<unsigned char>(c)];
        QVERIFY2(count > 820 && count < 1180,
                 qPrintable(QStringLiteral("'%1' appeared %2 times").arg(QLatin1Char(c)).arg(count)));
    }
}

void TestRandom::tokenLengths()
{
    // Unpadded base64url: ceil(4n/3) characters.
    const QList<QPair<qsizetype, qsizetype>> cases { { 0, 0 },   { 1, 2 },   { 2, 3 },  { 3, 4 },
                                                     { 16, 22 }, { 32, 43 }, { 33, 44 } };
    for (const auto& [bytes, characters] : cases) {
        const auto result = Random::token(bytes);
        QVERIFY(result.ok());
        QCOMPARE(result->size(), characters);
    }
}

void TestRandom::tokenAlphabetAndDecoding()
{
    QSet<QByteArray> seen;
    for (int i = 0; i < 500; ++i) {
        const auto result = Random::token(32);
        QVERIFY(result.ok());
        QVERIFY2(onlyFrom(*result, base64UrlAlphabet), result->constData());
        const auto decoded = QByteArray::fromBase64Encoding(
            *result, QByteArray::Base64UrlEncoding | QByteArray::AbortOnBase64DecodingErrors);
        QVERIFY(decoded);
        QCOMPARE(decoded.decoded.size(), 32);
        seen.insert(*result);
    }
    QCOMPARE(seen.size(), 500);
}

QTEST_GUILESS_MAIN(TestRandom)
#include "tst_Random.moc"
