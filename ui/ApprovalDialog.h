#pragma once

// The approve/deny prompt of one CIBA request (PROTOCOL 4): who asks (the
// client's name), for what (the scope in plain words), the binding message large
// and as plain text, when it was asked and a countdown to its expiry.
//
// Approving has to be deliberate: Approve is never the default button, Enter and
// Return do nothing here, and Approve stays disabled for a short moment each time
// the dialog appears so that a click meant for another window cannot land on it.
// Deny is one click. Once the request expires, or another device has decided,
// the dialog can no longer approve and says why.

#include "core/device/ApprovalRequest.h"

#include <QDateTime>
#include <QDialog>
#include <QTimer>

#include <functional>

class QLabel;
class QPushButton;

namespace handoff::ui {

class ApprovalDialog final : public QDialog {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ApprovalDialog)

public:
    explicit ApprovalDialog(const device::ApprovalRequest& request, QWidget* parent = nullptr);
    ~ApprovalDialog() override;

    const device::ApprovalRequest& request() const { return m_request; }
    QString authReqId() const { return m_request.authReqId; }

    // How long Approve stays disabled after the dialog is shown (default 1 s).
    void setApproveDelay(int ms) { m_approveDelayMs = ms; }
    // For tests: the clock the countdown and the expiry check read.
    void setClock(std::function<QDateTime()> clock);

    // The server settled the request elsewhere (another device, expiry): the
    // buttons go, the message stays for a few seconds, then the dialog closes.
    void closeWithMessage(const QString& message, int closeAfterMs = 5000);
    // The decision went out; waiting for the server's answer.
    void showSending();
    // The server refused the decision.
    void showRefused(const QString& message);
    // The decision did not get through (offline, a refusal worth retrying): the
    // person may decide again, unless the request expired meanwhile.
    void allowRetry(const QString& message);

    bool canApprove() const;
    QPushButton* approveButton() const { return m_approve; }
    QPushButton* denyButton() const { return m_deny; }
    QString bindingMessageText() const;
    QString statusText() const;

    // Each scope value in words a person understands ("openid" -> "Confirm who you are").
    static QStringList describeScope(const QString& scope);

Q_SIGNALS:
    void approveClicked(const QString& authReqId);
    void denyClicked(const QString& authReqId);

protected:
    void keyPressEvent(QKeyEvent* event) override;
    void showEvent(QShowEvent* event) override;

private:
    void tick();
    bool isExpired() const;

    device::ApprovalRequest m_request;
    std::function<QDateTime()> m_clock;
    QLabel* m_bindingMessage = nullptr;
    QLabel* m_countdown = nullptr;
    QLabel* m_status = nullptr;
    QPushButton* m_approve = nullptr;
    QPushButton* m_deny = nullptr;
    QTimer m_ticker;
    QTimer m_armTimer;
    int m_approveDelayMs = 1000;
    bool m_armed = false;
    bool m_settled = false; // decided, expired or closed elsewhere: no more approving
};

} // namespace handoff::ui
