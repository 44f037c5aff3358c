#pragma once

// Schema version 5: the outbox of CIBA ping and push notifications
// (NotificationOutbox) and the index RequestExpiry looks up pending requests by.

#include <QList>

namespace handoff::server {

class NotificationSchema final {
public:
    NotificationSchema() = delete;
    static const QList<const char*>& migrationStatements();
};

} // namespace handoff::server
