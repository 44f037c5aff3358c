#include "server/demo/DemoPages.h"

#include <QFile>
#include <QLocale>
#include <QRegularExpression>

#include <algorithm>

namespace handoff::server {

namespace {

QString templateText(const QString& name)
{
    QFile file(QStringLiteral(":/demo-site/templates/") + name);
    if (!file.open(QIODevice::ReadOnly)) {
        return {};
    }
    return QString::fromUtf8(file.readAll());
}

// One pass over the template: inserted values are never scanned again, so text a
// person typed can never be taken for a placeholder.
QString fill(const QString& text, std::initializer_list<std::pair<const char*, QString>> values)
{
    QString out;
    out.reserve(text.size() * 2);
    qsizetype from = 0;
    while (true) {
        const qsizetype open = text.indexOf(QLatin1String("{{"), from);
        const qsizetype close = open < 0 ? -1 : text.indexOf(QLatin1String("}}"), open + 2);
        if (close < 0) {
            out += QStringView(text).sliced(from);
            return out;
        }
        out += QStringView(text).sliced(from, open - from);
        const QStringView key = QStringView(text).sliced(open + 2, close - open - 2);
        const auto* found = std::find_if(values.begin(), values.end(),
                                         [key](const auto& value) { return key == QLatin1String(value.first); });
        out += found != values.end() ? found->second : QStringView(text).sliced(open, close + 2 - open).toString();
        from = close + 2;
    }
}

QByteArray page(const QString& title, const QString& pageId, const QString& headerActions, const QString& main)
{
    const QString layout = templateText(QStringLiteral("layout.html"));
    if (layout.isEmpty() || main.isEmpty()) {
        return QByteArrayLiteral("<!doctype html><title>Demo unavailable</title>"
                                 "<p>The demo site's files are missing from this build of handoff-server.</p>");
    }
    return fill(layout, {{"TITLE", title.toHtmlEscaped()},
                         {"PAGE", pageId},
                         {"HEADER_ACTIONS", headerActions},
                         {"MAIN", main}})
        .toUtf8();
}

QString secureBadge()
{
    return QStringLiteral(R"(      <span class="secure-badge"><img src="static/lock-white.svg" alt="" width="16" height="16"><span>Secure sign-in</span></span>)");
}

QString alertHtml(const std::optional<DemoPages::Alert>& alert)
{
    if (!alert || alert->text.isEmpty()) {
        return {};
    }
    const bool error = alert->kind == DemoPages::Alert::Kind::Error;
    return QStringLiteral(R"(      <div id="%1" class="alert %2" role="%3">%4</div>)")
        .arg(error ? QStringLiteral("form-error") : QStringLiteral("form-notice"),
             error ? QStringLiteral("alert-error") : QStringLiteral("alert-info"),
             error ? QStringLiteral("alert") : QStringLiteral("status"), alert->text.toHtmlEscaped());
}

bool isError(const std::optional<DemoPages::Alert>& alert)
{
    return alert && alert->kind == DemoPages::Alert::Kind::Error && !alert->text.isEmpty();
}

QLocale english()
{
    return QLocale(QLocale::English, QLocale::UnitedStates);
}

} // namespace

bool DemoPages::available()
{
    return QFile::exists(QStringLiteral(":/demo-site/templates/layout.html"));
}

QString DemoPages::formatCents(qint64 cents, bool plusSign)
{
    const bool negative = cents < 0;
    const quint64 magnitude = negative ? quint64(0) - quint64(cents) : quint64(cents);
    QString whole = QString::number(magnitude / 100);
    for (qsizetype at = whole.size() - 3; at > 0; at -= 3) {
        whole.insert(at, QLatin1Char(','));
    }
    const QString amount = QStringLiteral("$%1.%2").arg(whole).arg(magnitude % 100, 2, 10, QLatin1Char('0'));
    if (negative) {
        return QChar(0x2212) + amount; // a real minus sign
    }
    return plusSign && cents > 0 ? QLatin1Char('+') + amount : amount;
}

QByteArray DemoPages::signIn(const QString& userName, const std::optional<Alert>& alert)
{
    const bool error = isError(alert);
    const QString invalid = error ? QStringLiteral(R"( aria-invalid="true" aria-describedby="form-error")") : QString();
    // Focus lands where typing continues: the name, or the password once the name is known.
    const QString focus = QStringLiteral(" autofocus");
    const QString main = fill(templateText(QStringLiteral("sign-in.html")),
                              {{"ALERT", alertHtml(alert)},
                               {"USERNAME", userName.toHtmlEscaped()},
                               {"USERNAME_ATTRS", userName.isEmpty() ? focus + invalid : QString()},
                               {"PASSWORD_ATTRS", userName.isEmpty() ? QString() : focus + invalid}});
    return page(QStringLiteral("Sign in"), QStringLiteral("sign-in"), secureBadge(), main);
}

QByteArray DemoPages::verify(const DemoAccount& account, const std::optional<Alert>& alert)
{
    const bool error = isError(alert);
    const QString main = fill(templateText(QStringLiteral("verify.html")),
                              {{"PHONE", account.phoneLastDigits().toHtmlEscaped()},
                               {"ALERT", alertHtml(alert)},
                               {"OTP_DESCRIBEDBY", error ? QStringLiteral("otp-hint form-error") : QStringLiteral("otp-hint")},
                               {"OTP_ATTRS", error ? QStringLiteral(R"( aria-invalid="true")") : QString()}});
    return page(QStringLiteral("Verify it’s you"), QStringLiteral("verify"), secureBadge(), main);
}

QByteArray DemoPages::locked(const Alert& alert)
{
    const QString main = fill(templateText(QStringLiteral("locked.html")), {{"ALERT", alertHtml(alert)}});
    return page(QStringLiteral("Sign-in locked"), QStringLiteral("locked"), secureBadge(), main);
}

QByteArray DemoPages::account(const DemoAccount& account, QDate today)
{
    const QLocale locale = english();
    QString accounts;
    for (const auto& bankAccount : account.accounts()) {
        QString kind = QStringLiteral("checking");
        if (bankAccount.kind == DemoAccount::BankAccount::Kind::Savings) {
            kind = QStringLiteral("savings");
        } else if (bankAccount.kind == DemoAccount::BankAccount::Kind::Credit) {
            kind = QStringLiteral("credit");
        }
        accounts += QStringLiteral("      <li class=\"account %1\">\n"
                                   "        <p class=\"account-name\">%2</p>\n"
                                   "        <p class=\"account-number\">Account ending in %3</p>\n"
                                   "        <p class=\"account-balance\">%4</p>\n"
                                   "        <p class=\"account-note\">%5</p>\n"
                                   "      </li>\n")
                        .arg(kind, bankAccount.name.toHtmlEscaped(), bankAccount.number.toHtmlEscaped(),
                             formatCents(bankAccount.balanceCents).toHtmlEscaped(), bankAccount.note.toHtmlEscaped());
    }
    QString rows;
    for (const auto& transaction : account.transactions()) {
        const QDate date = today.addDays(-transaction.daysAgo);
        const bool incoming = transaction.amountCents > 0;
        rows += QStringLiteral("          <tr><td class=\"date\"><time datetime=\"%1\">%2</time></td><td>%3</td>"
                               "<td class=\"category-cell\"><span class=\"category\">%4</span></td>"
                               "<td class=\"num%5\">%6</td></tr>\n")
                    .arg(date.toString(Qt::ISODate), locale.toString(date, QStringLiteral("MMM d")),
                         transaction.description.toHtmlEscaped(), transaction.category.toHtmlEscaped(),
                         incoming ? QStringLiteral(" credit-amount") : QString(),
                         formatCents(transaction.amountCents, true).toHtmlEscaped());
    }
    QString activityAccount;
    if (!account.accounts().isEmpty()) {
        const auto& first = account.accounts().constFirst();
        activityAccount = QStringLiteral("%1 ••%2").arg(first.name, first.number).toHtmlEscaped();
    }
    const QString main = fill(templateText(QStringLiteral("account.html")),
                              {{"TODAY", locale.toString(today, QStringLiteral("dddd, MMMM d")).toHtmlEscaped()},
                               {"FIRST_NAME", account.firstName().toHtmlEscaped()},
                               {"ACTIVITY_ACCOUNT", activityAccount},
                               {"ACCOUNTS", accounts},
                               {"TRANSACTIONS", rows}});
    const QString header = QStringLiteral("      <span class=\"header-user\">%1</span>\n"
                                          "      <form method=\"post\" action=\"sign-out\"><button id=\"sign-out\" "
                                          "class=\"button button-ghost\" type=\"submit\">Sign out</button></form>")
                               .arg(account.fullName().toHtmlEscaped());
    return page(QStringLiteral("Accounts"), QStringLiteral("account"), header, main);
}

std::optional<DemoPages::Asset> DemoPages::asset(QStringView name)
{
    static const QRegularExpression safeName(QStringLiteral(R"(^[a-z0-9][a-z0-9-]{0,63}\.(css|svg)$)"));
    const auto match = safeName.match(name);
    if (!match.hasMatch()) {
        return std::nullopt;
    }
    QFile file(QStringLiteral(":/demo-site/static/") + name.toString());
    if (!file.open(QIODevice::ReadOnly)) {
        return std::nullopt;
    }
    const bool css = match.capturedView(1) == QLatin1String("css");
    return Asset{file.readAll(), css ? QByteArrayLiteral("text/css; charset=utf-8") : QByteArrayLiteral("image/svg+xml")};
}

} // namespace handoff::server
