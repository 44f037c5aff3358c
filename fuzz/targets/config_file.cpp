// The server's config file (lines of "name = value"): ConfigSources::parseFile,
// then ServerConfig::resolve with the file as the only source. Whatever the
// text, the answer is a config or an error with a code, never a crash; a config
// that resolves keeps the limits every part of the server relies on.

#include "FuzzSupport.h"
#include "server/config/ConfigSources.h"
#include "server/config/ServerConfig.h"

using handoff::server::ConfigSources;
using handoff::server::ServerConfig;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    const auto file = ConfigSources::parseFile(QString::fromUtf8(handoff::fuzz::bytes(data, size)));
    if (!file) {
        FUZZ_CHECK(handoff::fuzz::isErrorCode(file.error().code));
        FUZZ_CHECK(!file.error().message.isEmpty());
        return 0;
    }
    const auto config = ServerConfig::resolve({}, {}, *file);
    if (!config) {
        FUZZ_CHECK(handoff::fuzz::isErrorCode(config.error().code));
        FUZZ_CHECK(!config.error().message.isEmpty());
        return 0;
    }
    FUZZ_CHECK(config->maxHeaderBytes > 0 && config->maxBodyBytes >= 0);
    FUZZ_CHECK(config->minTtlSeconds > 0 && config->minTtlSeconds <= config->defaultTtlSeconds
               && config->defaultTtlSeconds <= config->maxTtlSeconds);
    FUZZ_CHECK(config->maxTextMessageBytes > 0 && config->maxBinaryMessageBytes > 0);
    FUZZ_CHECK(config->maxConnections > 0);
    // The same settings given as flags resolve to the same config.
    const auto asFlags = ServerConfig::resolve(*file, {}, {});
    FUZZ_CHECK(asFlags.ok());
    FUZZ_CHECK(asFlags->listenPort == config->listenPort && asFlags->publicUrl == config->publicUrl
               && asFlags->maxBodyBytes == config->maxBodyBytes && asFlags->dataDir == config->dataDir);
    return 0;
}
