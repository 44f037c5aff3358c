#pragma once

// Renders the demo bank's pages from the templates embedded under
// :/demo-site/templates (resources/demo-site/), and looks up its static files.
// Every value put into a page is HTML-escaped here; the templates hold no script.
// Links are relative, so the site also works behind a proxy under a path prefix.

#include "server/demo/DemoAccount.h"

#include <QByteArray>
#include <QDate>
#include <QString>

#include <optional>

namespace handoff::server {

class DemoPages final {
public:
    DemoPages() = delete;

    struct Alert final {
        enum class Kind { Error, Info };
        Kind kind = Kind::Error;
        QString text;
    };
    struct Asset final {
        QByteArray body;
        QByteArray contentType;
    };

    // False when the build did not embed the site (then every page is an error page).
    static bool available();

    static QByteArray signIn(const QString& userName, const std::optional<Alert>& alert);
    static QByteArray verify(const DemoAccount& account, const std::optional<Alert>& alert);
    static QByteArray locked(const Alert& alert);
    static QByteArray account(const DemoAccount& account, QDate today);

    // A file of resources/demo-site/static by its bare name ("northwind.css"), or nothing.
    static std::optional<Asset> asset(QStringView name);

    // "$4,812.37", "−$318.45"; with `plusSign`, "+$3,250.00" for money in.
    static QString formatCents(qint64 cents, bool plusSign = false);
};

} // namespace handoff::server
