#pragma once

// Comparison of secrets in time that does not depend on where they differ.

#include <QByteArrayView>

namespace handoff::crypto {

class ConstantTime final {
public:
    ConstantTime() = delete;
    // Equal lengths and equal bytes. The length itself is not secret.
    static bool equal(QByteArrayView a, QByteArrayView b);
};

} // namespace handoff::crypto
