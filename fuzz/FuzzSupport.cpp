#include "FuzzSupport.h"

#include <QCoreApplication>

#include <cstdio>
#include <cstdlib>

namespace handoff::fuzz {

void fail(const char* condition, const char* file, int line)
{
    std::fprintf(stderr, "FUZZ_CHECK failed: %s at %s:%d\n", condition, file, line);
    std::abort();
}

bool isErrorCode(const QString& code)
{
    if (code.isEmpty() || code.size() > 64 || code.startsWith(u'_') || code.endsWith(u'_'))
        return false;
    return std::all_of(code.begin(), code.end(),
                       [](QChar c) { return (c >= u'a' && c <= u'z') || (c >= u'0' && c <= u'9') || c == u'_'; });
}

void checkRefusal(const Error& error)
{
    FUZZ_CHECK(isErrorCode(error.code));
    FUZZ_CHECK(!error.message.isEmpty());
}

namespace {

// Drops debug, info and warning output; a fatal message still aborts (Qt does
// that after the handler returns), which libFuzzer reports as a crash.
void quietMessageHandler(QtMsgType type, const QMessageLogContext&, const QString& message)
{
    if (type == QtFatalMsg)
        std::fprintf(stderr, "qFatal: %s\n", qUtf8Printable(message));
}

} // namespace

} // namespace handoff::fuzz

extern "C" int LLVMFuzzerInitialize(int* argc, char*** argv)
{
    qInstallMessageHandler(handoff::fuzz::quietMessageHandler);
    // Kept for the whole run: QObjects (McpServer, its timers) want an application.
    static QCoreApplication application(*argc, *argv);
    return 0;
}
