#include "ui/SessionWindow.h"

#include "ui/FrameDecoder.h"
#include "ui/Resources.h"
#include "ui/ScreencastView.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QComboBox>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QLabel>
#include <QLoggingCategory>
#include <QPushButton>
#include <QStackedWidget>
#include <QStatusBar>
#include <QStyle>
#include <QToolBar>
#include <QVBoxLayout>

#include <array>
#include <cmath>

Q_LOGGING_CATEGORY(lcWindow, "handoff.window", QtInfoMsg)

namespace handoff::ui {

namespace {

using session::ViewerSession;
using State = ViewerSession::State;
using EndReason = ViewerSession::EndReason;

// Zoom choices of the box; 0 stands for "fit".
constexpr std::array<int, 9> ZoomPercents = {0, 50, 75, 100, 125, 150, 175, 200, 300};

// Every label that can show words from outside the app (the agent's, the relay's)
// shows them as plain text: Qt's AutoText would render "<b>" or "<a href>" from a
// session's service name or hint as markup, dressing it up as the app's own text.
QLabel* makeLabel(const QString& objectName, QWidget* parent)
{
    auto* label = new QLabel(parent);
    label->setObjectName(objectName);
    label->setTextFormat(Qt::PlainText);
    label->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    return label;
}

QWidget* makeBanner(const QString& objectName, const QString& style, QWidget* parent)
{
    auto* banner = new QWidget(parent);
    banner->setObjectName(objectName);
    banner->setAttribute(Qt::WA_StyledBackground);
    banner->setStyleSheet(QStringLiteral("#%1 { %2 border-radius: 4px; }").arg(objectName, style));
    return banner;
}

QString connectionText(State state, bool agentConnected)
{
    switch (state) {
    case State::Idle:
    case State::Connecting:
        return SessionWindow::tr("Connecting to the relay…");
    case State::Handshaking:
        return agentConnected ? SessionWindow::tr("Setting up encryption…")
                              : SessionWindow::tr("Waiting for the agent…");
    case State::ConfirmSas:
        return SessionWindow::tr("Compare the code to continue");
    case State::Ready:
        return agentConnected ? SessionWindow::tr("Connected") : SessionWindow::tr("The agent is away; waiting…");
    case State::Reconnecting:
        return SessionWindow::tr("Connection lost; reconnecting…");
    case State::Ended:
        return SessionWindow::tr("Ended");
    }
    return {};
}

} // namespace

SessionWindow::SessionWindow(ViewerSession* session, QWidget* parent) : QMainWindow(parent), m_session(session)
{
    m_session->setParent(this);
    setObjectName(QStringLiteral("sessionWindow"));
    setWindowIcon(Resources::appIcon());
    setWindowTitle(tr("Handoff"));
    setAttribute(Qt::WA_DeleteOnClose);
    resize(1100, 780);

    m_decoder = new FrameDecoder(this);
    buildCentralArea();
    buildToolBar();
    buildStatusBar();
    connectSession();

    m_clock.setInterval(1000);
    connect(&m_clock, &QTimer::timeout, this, &SessionWindow::updateTimeLeft);
    m_clock.start();
    m_closeTimer.setSingleShot(true);
    m_closeTimer.setInterval(CloseDelayMs);
    connect(&m_closeTimer, &QTimer::timeout, this, &QWidget::close);

    onStateChanged(m_session->state());
    updateSecurity();
    m_view->setFocus();
}

SessionWindow::~SessionWindow() = default;

QString SessionWindow::sessionId() const
{
    return m_session->target().sessionId;
}

QString SessionWindow::title() const
{
    const QString service = m_session->info().service;
    return service.isEmpty() ? sessionId() : service;
}

void SessionWindow::buildToolBar()
{
    auto* bar = addToolBar(tr("Session"));
    bar->setObjectName(QStringLiteral("toolbar"));
    bar->setMovable(false);
    bar->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    bar->setAccessibleName(tr("Session toolbar"));

    const auto action = [this, bar](const QString& name, const QString& text, QStyle::StandardPixmap icon,
                                    const QString& tip) {
        auto* a = bar->addAction(style()->standardIcon(icon), text);
        a->setObjectName(name);
        a->setToolTip(tip);
        return a;
    };
    m_back = action(QStringLiteral("back"), tr("Back"), QStyle::SP_ArrowBack, tr("Go back in the agent's browser"));
    m_forward = action(QStringLiteral("forward"), tr("Forward"), QStyle::SP_ArrowForward,
                       tr("Go forward in the agent's browser"));
    m_reload = action(QStringLiteral("reload"), tr("Reload"), QStyle::SP_BrowserReload, tr("Reload the page"));
    connect(m_back, &QAction::triggered, this, [this] { send(protocol::InputEvent::back()); });
    connect(m_forward, &QAction::triggered, this, [this] { send(protocol::InputEvent::forward()); });
    connect(m_reload, &QAction::triggered, this, [this] { send(protocol::InputEvent::reload()); });
    bar->addSeparator();

    m_zoomOut = bar->addAction(tr("−"));
    m_zoomOut->setObjectName(QStringLiteral("zoomOut"));
    m_zoomOut->setToolTip(tr("Zoom out"));
    connect(m_zoomOut, &QAction::triggered, m_view, &ScreencastView::zoomOut);
    m_zoomBox = new QComboBox(bar);
    m_zoomBox->setObjectName(QStringLiteral("zoom"));
    m_zoomBox->setAccessibleName(tr("Zoom"));
    for (const int percent : ZoomPercents)
        m_zoomBox->addItem(percent == 0 ? tr("Fit") : tr("%1%").arg(percent), percent);
    bar->addWidget(m_zoomBox);
    connect(m_zoomBox, &QComboBox::activated, this, [this](int index) {
        const int percent = m_zoomBox->itemData(index).toInt();
        m_view->setZoom(percent == 0 ? std::nullopt : std::optional<double>(percent / 100.0));
    });
    m_zoomIn = bar->addAction(tr("+"));
    m_zoomIn->setObjectName(QStringLiteral("zoomIn"));
    m_zoomIn->setToolTip(tr("Zoom in"));
    connect(m_zoomIn, &QAction::triggered, m_view, &ScreencastView::zoomIn);
    connect(m_view, &ScreencastView::zoomChanged, this, &SessionWindow::updateZoomBox);

    auto* spacer = new QWidget(bar);
    spacer->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Preferred);
    bar->addWidget(spacer);

    m_cancel = new QPushButton(tr("Cancel"), bar);
    m_cancel->setObjectName(QStringLiteral("cancel"));
    m_cancel->setAccessibleName(tr("Cancel the session"));
    m_cancel->setToolTip(tr("Tell the agent you will not complete this step"));
    bar->addWidget(m_cancel);
    m_done = new QPushButton(tr("Done"), bar);
    m_done->setObjectName(QStringLiteral("done"));
    m_done->setAccessibleName(tr("Done: the step is complete"));
    m_done->setToolTip(tr("Tell the agent the sign-in step is complete"));
    m_done->setDefault(true);
    bar->addWidget(m_done);
    connect(m_cancel, &QPushButton::clicked, this, [this] { sendOutcome(false); });
    connect(m_done, &QPushButton::clicked, this, [this] { sendOutcome(true); });
}

void SessionWindow::buildCentralArea()
{
    m_pages = new QStackedWidget(this);
    m_pages->setObjectName(QStringLiteral("pages"));
    setCentralWidget(m_pages);

    // Page 0: the session.
    auto* sessionPage = new QWidget(m_pages);
    auto* column = new QVBoxLayout(sessionPage);
    column->setContentsMargins(6, 6, 6, 0);
    column->setSpacing(6);

    auto* header = new QHBoxLayout;
    m_service = makeLabel(QStringLiteral("service"), sessionPage);
    QFont serviceFont = m_service->font();
    serviceFont.setBold(true);
    serviceFont.setPointSizeF(serviceFont.pointSizeF() * 1.2);
    m_service->setFont(serviceFont);
    m_blocker = makeLabel(QStringLiteral("blocker"), sessionPage);
    m_blocker->setWordWrap(true);
    header->addWidget(m_service);
    header->addWidget(m_blocker, 1);
    column->addLayout(header);

    m_v1Warning = makeBanner(QStringLiteral("v1Warning"), QStringLiteral("background: #fff3cd; color: #5c4400;"),
                             sessionPage);
    auto* v1Layout = new QHBoxLayout(m_v1Warning);
    auto* v1Icon = new QLabel(m_v1Warning);
    v1Icon->setPixmap(Resources::warningIcon().pixmap(24, 24));
    auto* v1Text = new QLabel(tr("<b>Not fully protected.</b> This agent speaks the older protocol version 1: the "
                                 "relay server can see this screen and could intercept the session. What you type "
                                 "is encrypted, but only type here if you trust the relay's operator."),
                              m_v1Warning);
    v1Text->setObjectName(QStringLiteral("v1WarningText"));
    v1Text->setWordWrap(true);
    v1Layout->addWidget(v1Icon);
    v1Layout->addWidget(v1Text, 1);
    m_v1Warning->setAccessibleName(tr("Security warning"));
    m_v1Warning->setAccessibleDescription(v1Text->text());
    m_v1Warning->hide();
    column->addWidget(m_v1Warning);

    m_sasPanel = makeBanner(QStringLiteral("sasPanel"), QStringLiteral("background: #e7f0ff; color: #102a5c;"),
                            sessionPage);
    auto* sasLayout = new QHBoxLayout(m_sasPanel);
    auto* sasText = new QLabel(tr("The link carried no key. Before you type anything, check that the agent's "
                                  "console shows this code:"),
                               m_sasPanel);
    sasText->setWordWrap(true);
    m_sasDigits = makeLabel(QStringLiteral("sasDigits"), m_sasPanel);
    QFont digitsFont = QFontDatabase::systemFont(QFontDatabase::FixedFont);
    digitsFont.setPointSizeF(digitsFont.pointSizeF() * 1.8);
    digitsFont.setBold(true);
    m_sasDigits->setFont(digitsFont);
    auto* match = new QPushButton(tr("The codes match"), m_sasPanel);
    match->setObjectName(QStringLiteral("sasConfirm"));
    auto* differ = new QPushButton(tr("They differ"), m_sasPanel);
    differ->setObjectName(QStringLiteral("sasReject"));
    sasLayout->addWidget(sasText, 1);
    sasLayout->addWidget(m_sasDigits);
    sasLayout->addWidget(match);
    sasLayout->addWidget(differ);
    m_sasPanel->hide();
    connect(match, &QPushButton::clicked, this, [this] {
        m_session->confirmSas();
        m_view->setFocus();
    });
    connect(differ, &QPushButton::clicked, this, [this] {
        m_session->close();
        showEndPage(tr("The codes differ"),
                    tr("The code here is not the one the agent shows, so someone between you and the agent may "
                       "be reading this session. Nothing you did was sent. Ask for a new link."),
                    false);
    });
    column->addWidget(m_sasPanel);

    m_view = new ScreencastView(sessionPage);
    m_view->setObjectName(QStringLiteral("screencast"));
    m_view->setPlaceholderText(tr("Waiting for the agent's screen…"));
    column->addWidget(m_view, 1);
    m_pages->addWidget(sessionPage);

    // Page 1: how the session ended, or why it was stopped. The text sits in a
    // centred column of bounded width; a word-wrapped label given an alignment
    // of its own in a layout gets only one line's height and cuts its text off.
    auto* endPage = new QWidget(m_pages);
    endPage->setObjectName(QStringLiteral("endPage"));
    auto* endBox = new QWidget(endPage);
    endBox->setMaximumWidth(560);
    endBox->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Preferred);
    m_endIcon = new QLabel(endBox);
    m_endIcon->setObjectName(QStringLiteral("endIcon"));
    m_endIcon->setAlignment(Qt::AlignCenter);
    m_endTitle = makeLabel(QStringLiteral("endTitle"), endBox);
    QFont titleFont = m_endTitle->font();
    titleFont.setBold(true);
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.5);
    m_endTitle->setFont(titleFont);
    m_endTitle->setAlignment(Qt::AlignCenter);
    m_endTitle->setWordWrap(true);
    m_endMessage = makeLabel(QStringLiteral("endMessage"), endBox);
    m_endMessage->setWordWrap(true);
    m_endMessage->setAlignment(Qt::AlignCenter);
    m_endClose = new QPushButton(tr("Close"), endBox);
    m_endClose->setObjectName(QStringLiteral("endClose"));
    connect(m_endClose, &QPushButton::clicked, this, &QWidget::close);
    auto* boxLayout = new QVBoxLayout(endBox);
    boxLayout->setSpacing(10);
    boxLayout->addWidget(m_endIcon);
    boxLayout->addWidget(m_endTitle);
    boxLayout->addWidget(m_endMessage);
    boxLayout->addSpacing(6);
    boxLayout->addWidget(m_endClose, 0, Qt::AlignHCenter);
    auto* row = new QHBoxLayout;
    row->addStretch(1);
    row->addWidget(endBox, 10);
    row->addStretch(1);
    auto* endLayout = new QVBoxLayout(endPage);
    endLayout->addStretch(1);
    endLayout->addLayout(row);
    endLayout->addStretch(2);
    m_pages->addWidget(endPage);
}

void SessionWindow::buildStatusBar()
{
    m_connection = makeLabel(QStringLiteral("connection"), this);
    m_timeLeft = makeLabel(QStringLiteral("timeLeft"), this);
    m_securityIcon = new QLabel(this);
    m_securityIcon->setObjectName(QStringLiteral("securityIcon"));
    m_security = makeLabel(QStringLiteral("security"), this);
    statusBar()->addWidget(m_connection, 1);
    statusBar()->addPermanentWidget(m_timeLeft);
    statusBar()->addPermanentWidget(m_securityIcon);
    statusBar()->addPermanentWidget(m_security);
}

void SessionWindow::connectSession()
{
    connect(m_session, &ViewerSession::stateChanged, this, &SessionWindow::onStateChanged);
    connect(m_session, &ViewerSession::sessionInfoReceived, this, &SessionWindow::onSessionInfo);
    connect(m_session, &ViewerSession::protocolVersionKnown, this, &SessionWindow::onProtocolVersion);
    connect(m_session, &ViewerSession::sasConfirmationRequired, this, &SessionWindow::onSasRequired);
    connect(m_session, &ViewerSession::ended, this, &SessionWindow::onEnded);
    connect(m_session, &ViewerSession::agentPresenceChanged, this, [this] { onStateChanged(m_session->state()); });
    connect(m_session, &ViewerSession::warning, this,
            [this](const QString&, const QString& message) { statusBar()->showMessage(message, 5000); });
    connect(m_session, &ViewerSession::frameReceived, m_decoder, &FrameDecoder::submit);
    connect(m_decoder, &FrameDecoder::frameDecoded, this,
            [this](const QImage& image, const protocol::FrameMetadata& metadata) {
                m_view->setFrame(image, metadata);
                if (m_firstFrame) {
                    m_firstFrame = false;
                    m_view->setFocus();
                }
            });
    connect(m_view, &ScreencastView::inputEvent, this, &SessionWindow::send);
    connect(m_view, &ScreencastView::viewportRequested, this, [this](QSize cssSize) {
        // Version 1 cannot carry the request; the view then scales the page instead.
        (void)m_session->requestViewport(cssSize);
    });
    connect(m_view, &ScreencastView::pasted, this, [this](int characters, int) {
        statusBar()->showMessage(characters == 1 ? tr("Pasted 1 character") : tr("Pasted %1 characters").arg(characters), 3000);
    });
}

void SessionWindow::onStateChanged(State state)
{
    if (state == State::Ready)
        m_channelProven = true; // the agent proved the keys and revealed a nonce matching its commitment
    const bool ready = state == State::Ready && m_session->agentConnected();
    m_view->setInputEnabled(ready);
    for (QAction* a : {m_back, m_forward, m_reload})
        a->setEnabled(ready);
    m_done->setEnabled(ready);
    m_cancel->setEnabled(ready);
    m_connection->setText(connectionText(state, m_session->agentConnected()));
    m_connection->setAccessibleName(tr("Connection: %1").arg(m_connection->text()));
    if (state != State::ConfirmSas)
        m_sasPanel->setVisible(false);
    updateSecurity();
}

void SessionWindow::onSessionInfo(const session::SessionInfo& info)
{
    m_service->setText(info.service);
    const QString blocker = session::SessionInfo::describeBlocker(info.blockerType);
    QStringList parts;
    if (!blocker.isEmpty())
        parts << blocker;
    if (!info.hint.isEmpty())
        parts << info.hint;
    m_blocker->setText(parts.join(QStringLiteral(" — ")));
    setWindowTitle(info.service.isEmpty() ? tr("Handoff") : tr("%1 — Handoff").arg(info.service));
    updateTimeLeft();
    Q_EMIT titleChanged(title());
}

void SessionWindow::onProtocolVersion(int version)
{
    m_v1Warning->setVisible(version == 1);
    // A version-1 agent may be built on AuthLoop's core: send only what its viewer sends.
    m_view->setInputStyle(version == 1 ? ScreencastView::InputStyle::AuthLoopViewer : ScreencastView::InputStyle::Full);
    updateSecurity();
}

void SessionWindow::onSasRequired(const QString& sas)
{
    m_sasDigits->setText(sas.left(3) + QLatin1Char(' ') + sas.mid(3));
    m_sasDigits->setAccessibleName(tr("Code to compare: %1").arg(sas));
    m_sasPanel->setVisible(true);
    updateSecurity();
    raise();
    activateWindow();
}

void SessionWindow::updateSecurity()
{
    const int version = m_session->protocolVersion();
    QString text;
    QString description;
    QIcon icon;
    if (m_session->endReason() == EndReason::KeyMismatch) {
        // Whatever version the substituted key claimed: nothing here is protected.
        text = tr("The agent's key did not match the link");
        description = tr("Someone may be intercepting this session. Nothing you did was sent.");
        icon = Resources::warningIcon();
    } else if (version == 0) {
        text = tr("Not yet encrypted");
        description = tr("The encrypted channel is being set up; nothing you type is sent yet.");
    } else if (version == 1) {
        text = tr("Relay can see the screen");
        description = tr("Protocol version 1: input is encrypted, the screen is not, and the agent's key is not "
                         "verified.");
        icon = Resources::warningIcon();
    } else if (m_session->keyPinned() && !m_channelProven) {
        // The lock waits until the agent has proven it holds the key the link names.
        text = tr("Checking the agent's key…");
        description = tr("Protocol version 2: checking that the agent's key matches the link.");
    } else if (m_session->keyPinned()) {
        text = tr("End-to-end encrypted, key verified");
        description = tr("Protocol version 2: the agent's key matches the link.");
        const QString sas = m_session->sas();
        if (!sas.isEmpty())
            description += QLatin1Char(' ')
                + tr("The agent's console shows the same security code: %1 %2.").arg(sas.left(3), sas.mid(3));
        icon = Resources::lockIcon();
    } else if (m_session->sasConfirmed()) {
        text = tr("End-to-end encrypted, code compared");
        description = tr("Protocol version 2: you compared the code with the agent's console.");
        icon = Resources::lockIcon();
    } else {
        text = tr("Encrypted, code not yet compared");
        description = tr("Protocol version 2: compare the code with the agent's console before typing.");
    }
    m_securityIcon->setPixmap(icon.isNull() ? QPixmap() : icon.pixmap(16, 16));
    m_securityIcon->setVisible(!icon.isNull());
    m_security->setText(text);
    m_security->setToolTip(description);
    m_security->setAccessibleName(tr("Security: %1").arg(description));
}

void SessionWindow::updateTimeLeft()
{
    const QDateTime expires = m_session->info().expiresAt;
    if (!expires.isValid() || m_session->state() == State::Ended) {
        m_timeLeft->clear();
        return;
    }
    const qint64 seconds = std::max<qint64>(0, QDateTime::currentDateTimeUtc().secsTo(expires));
    m_timeLeft->setText(tr("%1:%2 left").arg(seconds / 60).arg(seconds % 60, 2, 10, QLatin1Char('0')));
    m_timeLeft->setAccessibleName(tr("Time left: %1 minutes %2 seconds").arg(seconds / 60).arg(seconds % 60));
}

void SessionWindow::updateZoomBox()
{
    const std::optional<double> zoom = m_view->zoom();
    const int percent = zoom ? int(std::lround(*zoom * 100)) : 0;
    int index = m_zoomBox->findData(percent);
    if (index < 0) {
        m_zoomBox->addItem(tr("%1%").arg(percent), percent);
        index = m_zoomBox->count() - 1;
    }
    m_zoomBox->setCurrentIndex(index);
}

void SessionWindow::send(const protocol::InputEvent& event)
{
    auto sent = m_session->sendInput(event);
    if (!sent) {
        // The reason only; never the event's content.
        qCDebug(lcWindow) << "An input event was not sent:" << sent.error().code;
        statusBar()->showMessage(sent.error().message, 4000);
    }
}

void SessionWindow::sendOutcome(bool resolved)
{
    send(resolved ? protocol::InputEvent::resolved() : protocol::InputEvent::cancelled());
    m_done->setEnabled(false);
    m_cancel->setEnabled(false);
    m_connection->setText(resolved ? tr("Telling the agent you are done…") : tr("Cancelling…"));
}

void SessionWindow::onEnded(EndReason reason, const QString& message)
{
    m_view->setInputEnabled(false);
    m_clock.stop();
    m_timeLeft->clear();
    switch (reason) {
    case EndReason::Resolved:
        showEndPage(tr("Done"), tr("The agent is carrying on. This window closes in a moment."), true);
        break;
    case EndReason::Cancelled:
        showEndPage(tr("Session cancelled"), message + QLatin1Char(' ') + tr("This window closes in a moment."), true);
        break;
    case EndReason::Expired:
        showEndPage(tr("Session expired"), message + QLatin1Char(' ') + tr("This window closes in a moment."), true);
        break;
    case EndReason::AgentGone:
        showEndPage(tr("The agent left"), message + QLatin1Char(' ') + tr("This window closes in a moment."), true);
        break;
    case EndReason::KeyMismatch:
        showEndPage(tr("Stopped for your safety"), message, false);
        break;
    case EndReason::Rejected:
    case EndReason::ConnectionLost:
    case EndReason::ProtocolError:
        showEndPage(tr("The session could not continue"), message, false);
        break;
    case EndReason::Closed:
        break;
    }
    Q_EMIT sessionEnded(reason);
}

void SessionWindow::showEndPage(const QString& title, const QString& message, bool autoClose)
{
    // An ending the person can leave behind gets the app's icon; one that needs
    // their attention (an error, a stop for their safety) a warning.
    const QIcon icon = autoClose ? Resources::appIcon() : style()->standardIcon(QStyle::SP_MessageBoxWarning);
    m_endIcon->setPixmap(icon.pixmap(QSize(64, 64)));
    m_endTitle->setText(title);
    m_endMessage->setText(message);
    m_pages->setCurrentIndex(1);
    for (QAction* a : {m_back, m_forward, m_reload, m_zoomIn, m_zoomOut})
        a->setEnabled(false);
    m_zoomBox->setEnabled(false);
    m_done->setEnabled(false);
    m_cancel->setEnabled(false);
    m_sasPanel->hide();
    m_endClose->setFocus();
    if (autoClose)
        m_closeTimer.start();
}

void SessionWindow::closeEvent(QCloseEvent* event)
{
    if (m_session->state() != State::Ended)
        m_session->close(); // leaves without an outcome: the agent may wait for another viewer
    event->accept();
}

} // namespace handoff::ui
