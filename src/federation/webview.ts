// Google refuses sign-in from embedded web views (apps that show pages inside themselves instead of the system
// browser). Portico refuses first, with a page that says why and how to open the system browser, rather than
// sending the guest to Google's error. The markers are the user-agent tokens those web views are known to send.
const EMBEDDED_MARKERS: RegExp[] = [
  /; wv\)/, // Android System WebView
  /\bFBA[NV]\/|\bFB_IAB\b|\bFBIOS\b/, // Facebook, Messenger
  /\bInstagram\b/,
  /\bLine\/\d/,
  /\bMicroMessenger\//, // WeChat
  /\bTwitter(?:Android)?\b/,
  /\bLinkedInApp\b/,
  /\bSnapchat\b/,
  /\bPinterest\//,
  /\bTikTok\b|\bmusical_ly\b|\bBytedanceWebview\b/,
  /\bGSA\/\d/, // the Google app's in-app browser
];

// iOS apps using WKWebView send Safari's engine tokens without the "Safari/" product token (real Safari, Chrome
// and Firefox on iOS all send it).
const IOS_WEBVIEW = /\b(iPhone|iPad|iPod)\b.*\bAppleWebKit\/[\d.]+(?!.*\bSafari\/)/;

export function isEmbeddedWebView(userAgent: string | undefined): boolean {
  if (!userAgent) return false;
  return EMBEDDED_MARKERS.some((m) => m.test(userAgent)) || IOS_WEBVIEW.test(userAgent);
}
