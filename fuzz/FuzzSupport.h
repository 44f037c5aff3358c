#pragma once

// What every fuzz target shares: FUZZ_CHECK, which stops the run with the
// failed condition (libFuzzer then keeps the input as a crash), and the set-up
// done once per process in LLVMFuzzerInitialize (FuzzSupport.cpp): Qt's log
// output is silenced, since the parsers warn about bad input and a fuzzer feeds
// them nothing else, and a QCoreApplication exists for the targets whose
// classes are QObjects.

#include "core/common/Result.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

#include <cstddef>
#include <cstdint>

#define FUZZ_CHECK(condition)                                                                                          \
    do {                                                                                                               \
        if (!(condition))                                                                                              \
            ::handoff::fuzz::fail(#condition, __FILE__, __LINE__);                                                     \
    } while (false)

namespace handoff::fuzz {

[[noreturn]] void fail(const char* condition, const char* file, int line);

// The fuzzer's bytes, without a copy: valid for the one call of LLVMFuzzerTestOneInput.
inline QByteArrayView bytes(const uint8_t* data, size_t size)
{
    return QByteArrayView(reinterpret_cast<const char*>(data), qsizetype(size));
}

// An error code is stable and machine-readable: lower-case words joined by '_'.
bool isErrorCode(const QString& code);

// A refusal names its reason with an error code and says something to a person.
void checkRefusal(const Error& error);

} // namespace handoff::fuzz
