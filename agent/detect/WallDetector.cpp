#include "agent/detect/WallDetector.h"

#include "agent/cdp/CdpClient.h"

#include <QJsonObject>

namespace handoff::agent {

QString WallDetector::script()
{
    return QStringLiteral(R"JS((() => {
  const visible = e => {
    const r = e.getBoundingClientRect(); const s = getComputedStyle(e);
    return r.width > 0 && r.height > 0 && s.visibility !== 'hidden' && s.display !== 'none';
  };
  const all = s => Array.from(document.querySelectorAll(s));
  const shown = s => all(s).filter(visible);
  const describe = e => [e.name, e.id, e.placeholder, e.getAttribute('aria-label'), e.getAttribute('autocomplete'),
      e.labels ? Array.from(e.labels).map(l => l.innerText).join(' ') : ''].join(' ').toLowerCase();
  const text = (document.body ? document.body.innerText : '').toLowerCase();
  const inputs = shown('input:not([type=hidden]):not([type=submit]):not([type=button]):not([type=checkbox]):not([type=radio])');

  if (shown('iframe[src*="recaptcha"], iframe[src*="hcaptcha"], iframe[src*="challenges.cloudflare.com"], ' +
            'iframe[title*="captcha" i], .g-recaptcha, .h-captcha, .cf-turnstile, [id*="captcha" i], ' +
            '[class*="captcha" i], img[alt*="captcha" i]').length) return 'captcha';
  const otpWords = /one.?time|otp|verification code|security code|2fa|two.?factor|totp|mfa|passcode|auth(entication)? code|sms code/;
  if (inputs.some(e => e.getAttribute('autocomplete') === 'one-time-code' || otpWords.test(describe(e)))) return 'otp';
  const singleDigits = inputs.filter(e => e.maxLength === 1);
  if (singleDigits.length >= 4) return 'otp';
  if (shown('input[type=password]').length) return 'password';
  const questionWords = /security question|secret question|maiden name|first pet|childhood|favou?rite (teacher|book|food)|street you grew up/;
  if (inputs.some(e => questionWords.test(describe(e))) || (questionWords.test(text) && inputs.length)) return 'security_question';
  if (all('input[type=file]').length) return 'file_upload';
  if (inputs.length && /enter the code|we (sent|texted) (you )?a code|verification code/.test(text)) return 'otp';
  return 'none';
})())JS");
}

QString WallDetector::blockerType(const QString& kind)
{
    if (kind == QLatin1String("file_upload")) {
        return QStringLiteral("document_upload");
    }
    if (kind == QLatin1String("none") || kind.isEmpty()) {
        return QStringLiteral("other");
    }
    return kind;
}

void WallDetector::detect(CdpClient& cdp, std::function<void(const Result<QString>&)> callback)
{
    cdp.send(QStringLiteral("Runtime.evaluate"),
             QJsonObject{{QStringLiteral("expression"), script()}, {QStringLiteral("returnByValue"), true}},
             [callback = std::move(callback)](const Result<QJsonObject>& r) {
                 if (!r) {
                     callback(r.error());
                     return;
                 }
                 if (r->contains(QLatin1String("exceptionDetails"))) {
                     callback(Error{QStringLiteral("detect_failed"), QStringLiteral("the detection script failed in the page")});
                     return;
                 }
                 callback(r->value(QLatin1String("result")).toObject().value(QLatin1String("value")).toString());
             });
}

} // namespace handoff::agent
