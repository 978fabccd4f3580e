// Loaded at the top of <body>, before anything is drawn, as GOV.UK Frontend asks: its styles for
// JavaScript-enhanced components key on these classes. A file rather than an inline script, so
// the Content-Security-Policy allows no inline script at all (solh/csp.py).
document.body.className +=
  " js-enabled" + ("noModule" in HTMLScriptElement.prototype ? " govuk-frontend-supported" : "");
