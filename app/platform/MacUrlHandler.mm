#include "app/platform/MacUrlHandler.h"

#include <QCoreApplication>
#include <QFileOpenEvent>
#include <QLoggingCategory>
#include <QString>
#include <QUrl>

#import <AppKit/AppKit.h>
#import <Foundation/Foundation.h>

#if __has_feature(objc_arc)
#error "MacUrlHandler.mm manages its Objective-C object by hand: compile it without -fobjc-arc"
#endif

namespace {
Q_LOGGING_CATEGORY(lcMacUrl, "handoff.links.mac", QtInfoMsg)
}

@interface HandoffGetUrlHandler : NSObject
- (void)install;
- (void)applicationWillFinishLaunching:(NSNotification*)notification;
- (void)handleGetUrl:(NSAppleEventDescriptor*)event withReplyEvent:(NSAppleEventDescriptor*)reply;
@end

@implementation HandoffGetUrlHandler

- (void)install
{
    [[NSAppleEventManager sharedAppleEventManager] setEventHandler:self
                                                       andSelector:@selector(handleGetUrl:withReplyEvent:)
                                                     forEventClass:kInternetEventClass
                                                        andEventID:kAEGetURL];
}

- (void)applicationWillFinishLaunching:(NSNotification*)notification
{
    Q_UNUSED(notification);
    // Qt's delegate has just installed its handler; the launch link comes next.
    [self install];
}

- (void)handleGetUrl:(NSAppleEventDescriptor*)event withReplyEvent:(NSAppleEventDescriptor*)reply
{
    Q_UNUSED(reply);
    NSString* text = [[event paramDescriptorForKeyword:keyDirectObject] stringValue];
    if (text == nil)
        return;
    const QUrl url(QString::fromNSString(text), QUrl::StrictMode);
    if (!url.isValid()) {
        qCWarning(lcMacUrl) << "Ignored a link that is not a valid URL"; // never the link itself: it holds a token
        return;
    }
    QCoreApplication::postEvent(QCoreApplication::instance(), new QFileOpenEvent(url));
}

@end

namespace handoff::app {

MacUrlHandler::MacUrlHandler(QObject* parent)
    : QObject(parent)
{
    HandoffGetUrlHandler* handler = [[HandoffGetUrlHandler alloc] init]; // +1, released in the destructor
    [[NSNotificationCenter defaultCenter] addObserver:handler
                                             selector:@selector(applicationWillFinishLaunching:)
                                                 name:NSApplicationWillFinishLaunchingNotification
                                               object:nil];
    [handler install];
    m_handler = handler;
}

MacUrlHandler::~MacUrlHandler()
{
    auto* handler = static_cast<HandoffGetUrlHandler*>(m_handler);
    [[NSNotificationCenter defaultCenter] removeObserver:handler];
    [[NSAppleEventManager sharedAppleEventManager] removeEventHandlerForEventClass:kInternetEventClass
                                                                        andEventID:kAEGetURL];
    [handler release];
}

} // namespace handoff::app
