#include "app/SettingsDialog.h"

#include "app/AppSettings.h"
#include "app/PairedAccountsPanel.h"
#include "app/TrustedServers.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QPushButton>
#include <QSystemTrayIcon>
#include <QVBoxLayout>

namespace handoff::app {

SettingsDialog::SettingsDialog(AppSettings* settings, TrustedServers* trustedServers, DeviceChannels* channels,
                               QWidget* parent)
    : QDialog(parent), m_settings(settings), m_trusted(trustedServers)
{
    setWindowTitle(tr("Handoff settings"));
    setObjectName(QStringLiteral("settingsDialog"));
    auto* layout = new QVBoxLayout(this);

    m_closeToTray = new QCheckBox(tr("Keep Handoff in the system tray when its windows are closed"), this);
    m_closeToTray->setObjectName(QStringLiteral("closeToTray"));
    m_closeToTray->setChecked(m_settings->closeToTray());
    m_closeToTray->setEnabled(QSystemTrayIcon::isSystemTrayAvailable());
    connect(m_closeToTray, &QCheckBox::toggled, m_settings, &AppSettings::setCloseToTray);
    layout->addWidget(m_closeToTray);

    if (channels) {
        m_accounts = new PairedAccountsPanel(channels, this);
        layout->addWidget(m_accounts);
        setMinimumWidth(680); // the account list's four columns without a scroll bar
    }

    auto* group = new QGroupBox(tr("Trusted servers"), this);
    auto* groupLayout = new QVBoxLayout(group);
    groupLayout->addWidget(new QLabel(tr("Links from these servers open without asking first."), group));
    auto* row = new QHBoxLayout;
    m_servers = new QListWidget(group);
    m_servers->setObjectName(QStringLiteral("trustedServers"));
    m_servers->setAccessibleName(tr("Trusted servers"));
    m_remove = new QPushButton(tr("Remove"), group);
    m_remove->setObjectName(QStringLiteral("removeServer"));
    m_remove->setAccessibleName(tr("Remove the selected server"));
    row->addWidget(m_servers, 1);
    row->addWidget(m_remove, 0, Qt::AlignTop);
    groupLayout->addLayout(row);
    layout->addWidget(group);

    connect(m_remove, &QPushButton::clicked, this, [this] {
        if (QListWidgetItem* item = m_servers->currentItem())
            m_trusted->remove(item->text());
    });
    connect(m_servers, &QListWidget::currentRowChanged, this, [this](int row) { m_remove->setEnabled(row >= 0); });
    connect(m_trusted, &TrustedServers::changed, this, &SettingsDialog::reloadServers);
    reloadServers();

    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    layout->addWidget(buttons);
}

void SettingsDialog::reloadServers()
{
    m_servers->clear();
    m_servers->addItems(m_trusted->origins());
    m_remove->setEnabled(m_servers->currentRow() >= 0);
}

} // namespace handoff::app
