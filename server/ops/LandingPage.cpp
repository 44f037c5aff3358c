#include "server/ops/LandingPage.h"

#include "core/crypto/Random.h"

namespace handoff::server {

namespace {

// The inline style; {{NONCE}} and the like are filled in below.
constexpr const char* pageTemplate = R"HTML(<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<meta name="robots" content="noindex, nofollow">
<title>{{TITLE}} · Handoff</title>
<style nonce="{{NONCE}}">
:root { color-scheme: light dark; --bg: #f4f5f7; --card: #ffffff; --text: #1c1e21; --muted: #5f6670;
        --accent: #2357d9; --accent-text: #ffffff; --border: #dde1e6; --warn-bg: #fff4e0; --warn: #8a5300; }
@media (prefers-color-scheme: dark) {
  :root { --bg: #15171a; --card: #1f2226; --text: #e8eaed; --muted: #a1a7b0; --accent: #6b95ff;
          --accent-text: #0d1117; --border: #33373d; --warn-bg: #3a2c10; --warn: #f3c36b; }
}
* { box-sizing: border-box; }
body { margin: 0; min-height: 100vh; display: flex; align-items: center; justify-content: center; padding: 24px;
       background: var(--bg); color: var(--text);
       font: 16px/1.55 system-ui, -apple-system, "Segoe UI", Roboto, Ubuntu, Cantarell, sans-serif; }
main { width: 100%; max-width: 520px; background: var(--card); border: 1px solid var(--border); border-radius: 16px;
       padding: 32px; box-shadow: 0 8px 30px rgba(0,0,0,.06); }
.brand { display: flex; align-items: center; gap: 10px; font-weight: 600; color: var(--muted); font-size: 14px;
         letter-spacing: .02em; margin-bottom: 20px; }
.brand svg { width: 22px; height: 22px; }
h1 { font-size: 22px; line-height: 1.3; margin: 0 0 12px; }
p { margin: 0 0 14px; color: var(--muted); }
ol { margin: 0 0 18px; padding-left: 20px; color: var(--muted); }
li { margin-bottom: 6px; }
.actions { display: flex; flex-wrap: wrap; gap: 10px; margin: 22px 0 16px; }
.button { display: inline-flex; align-items: center; justify-content: center; min-height: 44px; padding: 0 20px;
          border-radius: 10px; font: inherit; font-weight: 600; text-decoration: none; cursor: pointer;
          border: 1px solid var(--border); background: transparent; color: var(--text); }
.button.primary { background: var(--accent); border-color: var(--accent); color: var(--accent-text); }
.button:focus-visible { outline: 3px solid var(--accent); outline-offset: 2px; }
.button[aria-disabled="true"] { opacity: .5; pointer-events: none; }
.note { font-size: 14px; }
.warning { background: var(--warn-bg); color: var(--warn); border-radius: 10px; padding: 12px 14px; font-size: 14px;
           margin: 0 0 14px; }
.lock { display: flex; gap: 10px; align-items: flex-start; font-size: 14px; border-top: 1px solid var(--border);
        padding-top: 16px; margin-top: 8px; color: var(--muted); }
code { font: 13px ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; word-break: break-all; }
[hidden] { display: none !important; }
</style>
</head>
<body>
<main id="handoff" data-session="{{SESSION}}" data-server="{{SERVER}}">
<div class="brand"><svg viewBox="0 0 24 24" aria-hidden="true"><path fill="currentColor" d="M12 2a5 5 0 0 1 5 5v3h1a2 2 0 0 1 2 2v8a2 2 0 0 1-2 2H6a2 2 0 0 1-2-2v-8a2 2 0 0 1 2-2h1V7a5 5 0 0 1 5-5Zm0 2a3 3 0 0 0-3 3v3h6V7a3 3 0 0 0-3-3Z"/></svg>Handoff</div>
{{BODY}}
</main>
{{SCRIPT}}
</body>
</html>
)HTML";

constexpr const char* liveBody = R"HTML(<h1>An AI agent needs your help with one step</h1>
<p>An agent working in a web browser reached a step it cannot do alone: a one-time code, a password, a
CAPTCHA or a security question. This link lets you see that browser live and do that one step yourself.</p>
<ol>
<li>Open the link in the Handoff desktop app.</li>
<li>Check what you see, type what is asked, and press <strong>Done</strong>.</li>
<li>The agent carries on from there.</li>
</ol>
<p class="warning" id="incomplete" hidden>This link is incomplete: the part after “#” is missing. Ask whoever sent it
for the full link.</p>
<div class="actions">
<a class="button primary" id="open" href="#" aria-disabled="true">Open in Handoff</a>
<button class="button" id="copy" type="button" hidden>Copy link</button>
</div>
<p class="note">Nothing happens? Install the Handoff desktop app, then press the button again, or paste this page’s
full address into the app.</p>
<noscript><p class="warning">Without JavaScript the button cannot work: open the Handoff app and paste this page’s full
address, including the part after “#”.</p></noscript>
<div class="lock"><span aria-hidden="true">🔒</span><span>Once the Handoff app has the link, what you see and type
travels end-to-end encrypted between the app and the agent: this server relays it but cannot read it, because the app
checks the agent’s key and proves itself to the agent with the secret part of the link (after “#”).</span></div>
<div class="lock"><span aria-hidden="true">⚠️</span><span>This page itself cannot promise that much. Your browser does
not send the part after “#” to the server, but this page and its button come from the server, and a dishonest server
could change them to read that part or alter the link. If the agent gave you a <code>handoff://</code> link, open that
one in the app instead: it never passes through this page.</span></div>
)HTML";

constexpr const char* endedBody = R"HTML(<h1>This session has ended</h1>
<p>The agent no longer needs help with this step: it was completed, cancelled or timed out. You can close this page.</p>
<p class="note">Session <code>{{SESSION}}</code></p>
)HTML";

constexpr const char* unknownBody = R"HTML(<h1>This link is not valid</h1>
<p>No session matches this link. It may have been mistyped, or it ended a while ago. Ask whoever sent it for a new
one.</p>
)HTML";

constexpr const char* script = R"HTML(<script nonce="{{NONCE}}">
(function () {
  "use strict";
  var root = document.getElementById("handoff");
  var open = document.getElementById("open");
  var copy = document.getElementById("copy");
  var params = new URLSearchParams(location.hash.slice(1));
  var token = params.get("t");
  var keyPrint = params.get("k");
  var secret = params.get("s");
  var safe = /^[A-Za-z0-9_-]{16,200}$/;
  if (!token || !safe.test(token) || (keyPrint !== null && !safe.test(keyPrint)) ||
      (secret !== null && !safe.test(secret))) {
    document.getElementById("incomplete").hidden = false;
    return;
  }
  var fragment = "t=" + token + (keyPrint ? "&k=" + keyPrint : "") + (secret ? "&s=" + secret : "");
  open.href = "handoff://s/" + encodeURIComponent(root.dataset.session) + "?server=" +
              encodeURIComponent(root.dataset.server) + "#" + fragment;
  open.removeAttribute("aria-disabled");
  if (navigator.clipboard) {
    copy.hidden = false;
    copy.addEventListener("click", function () {
      navigator.clipboard.writeText(location.href).then(function () { copy.textContent = "Copied"; });
    });
  }
})();
</script>)HTML";

} // namespace

HttpResponse LandingPage::render(State state, const QString& sessionId, const QString& publicBase)
{
    Result<QByteArray> random = crypto::Random::token(18);
    const QString nonce = random ? QString::fromLatin1(*random) : QStringLiteral("n");
    QString title;
    QString body;
    int status = 200;
    switch (state) {
    case State::Live:
        title = QStringLiteral("Help an agent with one step");
        body = QString::fromUtf8(liveBody);
        break;
    case State::Ended:
        title = QStringLiteral("Session ended");
        body = QString::fromUtf8(endedBody);
        status = 410;
        break;
    case State::Unknown:
        title = QStringLiteral("Link not valid");
        body = QString::fromUtf8(unknownBody);
        status = 404;
        break;
    }
    QString page = QString::fromUtf8(pageTemplate);
    page.replace(QLatin1String("{{BODY}}"), body);
    page.replace(QLatin1String("{{SCRIPT}}"), state == State::Live ? QString::fromUtf8(script) : QString());
    page.replace(QLatin1String("{{TITLE}}"), title.toHtmlEscaped());
    page.replace(QLatin1String("{{SESSION}}"), state == State::Unknown ? QString() : sessionId.toHtmlEscaped());
    page.replace(QLatin1String("{{SERVER}}"), publicBase.toHtmlEscaped());
    page.replace(QLatin1String("{{NONCE}}"), nonce);

    HttpResponse response = HttpResponse::text(status, "text/html; charset=utf-8", page.toUtf8());
    response.setHeader("Content-Security-Policy",
                       "default-src 'none'; script-src 'nonce-" + nonce.toLatin1() + "'; style-src 'nonce-"
                           + nonce.toLatin1()
                           + "'; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'");
    response.setHeader("Referrer-Policy", "no-referrer");
    response.setHeader("X-Frame-Options", "DENY");
    response.setHeader("Cache-Control", "no-store");
    return response;
}

} // namespace handoff::server
