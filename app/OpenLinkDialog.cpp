#include "app/OpenLinkDialog.h"

#include "app/LinkRouter.h"
#include "core/device/PairingLink.h"
#include "core/protocol/SessionLinkParser.h"

#include <QClipboard>
#include <QDialogButtonBox>
#include <QGuiApplication>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace handoff::app {

OpenLinkDialog::OpenLinkDialog(LinkRouter* router, QWidget* parent) : QDialog(parent), m_router(router)
{
    setWindowTitle(tr("Open session link"));
    setObjectName(QStringLiteral("openLinkDialog"));
    auto* layout = new QVBoxLayout(this);
    auto* prompt = new QLabel(tr("Paste the session link the agent gave you, or a pairing link:"), this);
    m_field = new QLineEdit(this);
    m_field->setObjectName(QStringLiteral("link"));
    m_field->setPlaceholderText(QStringLiteral("https://relay.example/s/sess_…#t=…"));
    m_field->setMinimumWidth(520);
    m_field->setAccessibleName(tr("Session link"));
    prompt->setBuddy(m_field);
    m_error = new QLabel(this);
    m_error->setObjectName(QStringLiteral("error"));
    m_error->setWordWrap(true);
    m_error->setStyleSheet(QStringLiteral("color: #b00020;"));
    m_buttons = new QDialogButtonBox(QDialogButtonBox::Open | QDialogButtonBox::Cancel, this);
    layout->addWidget(prompt);
    layout->addWidget(m_field);
    layout->addWidget(m_error);
    layout->addWidget(m_buttons);
    connect(m_buttons, &QDialogButtonBox::accepted, this, &OpenLinkDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &OpenLinkDialog::reject);
    connect(m_field, &QLineEdit::textChanged, this, &OpenLinkDialog::validate);

    // A link on the clipboard is the likely one; offer it, never open it unasked.
    const QString clipboard = QGuiApplication::clipboard()->text().trimmed();
    if (!clipboard.isEmpty() && problemWith(clipboard).isEmpty())
        m_field->setText(clipboard);
    validate();
}

QString OpenLinkDialog::problemWith(const QString& text)
{
    if (device::PairingLink::looksLikePairingLink(text)) {
        const auto pairing = device::PairingLink::parse(text);
        return pairing.ok() ? QString() : pairing.error().message;
    }
    const auto link = protocol::SessionLinkParser::parse(text);
    return link.ok() ? QString() : link.error().message;
}

void OpenLinkDialog::validate()
{
    const QString text = m_field->text();
    if (text.trimmed().isEmpty()) {
        m_error->clear();
        m_buttons->button(QDialogButtonBox::Open)->setEnabled(false);
        return;
    }
    const QString problem = problemWith(text);
    m_error->setText(problem);
    m_buttons->button(QDialogButtonBox::Open)->setEnabled(problem.isEmpty());
}

void OpenLinkDialog::accept()
{
    if (auto opened = m_router->open(m_field->text(), LinkRouter::Source::Dialog); !opened) {
        m_error->setText(opened.error().message);
        return;
    }
    m_field->clear(); // the token is a secret: do not keep it around in the widget
    QDialog::accept();
}

} // namespace handoff::app
