// The one script Portico serves (/static/webauthn.js): WebAuthn needs navigator.credentials, which only JavaScript
// reaches. It is a progressive enhancement of plain forms: a passkey page's form (`data-webauthn="create"` or `"get"`,
// the ceremony's options as JSON in `data-options`) has a disabled button, which the script enables; on submit it
// asks the browser for the credential, writes the credential's JSON to the form's hidden `credential` field and
// submits the form. Without JavaScript the button stays disabled and the form's status line says passkeys need it
// (the script clears it).
// Pages with such a form allow this script, and only it, in their CSP (http/headers.ts allowOwnScript).
export const WEBAUTHN_JS = `'use strict';
(function () {
  function encode(buffer) {
    var bytes = new Uint8Array(buffer), text = '';
    for (var i = 0; i < bytes.length; i++) text += String.fromCharCode(bytes[i]);
    return btoa(text).replace(/\\+/g, '-').replace(/\\//g, '_').replace(/=+$/, '');
  }
  function decode(value) {
    var text = atob(value.replace(/-/g, '+').replace(/_/g, '/') + '==='.slice((value.length + 3) % 4));
    var bytes = new Uint8Array(text.length);
    for (var i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
    return bytes.buffer;
  }
  function ids(list) {
    return (list || []).map(function (c) { return Object.assign({}, c, { id: decode(c.id) }); });
  }
  function creationOptions(json) {
    if (PublicKeyCredential.parseCreationOptionsFromJSON) return PublicKeyCredential.parseCreationOptionsFromJSON(json);
    return Object.assign({}, json, {
      challenge: decode(json.challenge),
      user: Object.assign({}, json.user, { id: decode(json.user.id) }),
      excludeCredentials: ids(json.excludeCredentials),
    });
  }
  function requestOptions(json) {
    if (PublicKeyCredential.parseRequestOptionsFromJSON) return PublicKeyCredential.parseRequestOptionsFromJSON(json);
    return Object.assign({}, json, { challenge: decode(json.challenge), allowCredentials: ids(json.allowCredentials) });
  }
  function toJSON(credential) {
    if (typeof credential.toJSON === 'function') return credential.toJSON();
    var r = credential.response, response = { clientDataJSON: encode(r.clientDataJSON) };
    if (r.attestationObject) {
      response.attestationObject = encode(r.attestationObject);
      response.transports = r.getTransports ? r.getTransports() : [];
    } else {
      response.authenticatorData = encode(r.authenticatorData);
      response.signature = encode(r.signature);
      if (r.userHandle) response.userHandle = encode(r.userHandle);
    }
    return {
      id: credential.id,
      rawId: encode(credential.rawId),
      type: credential.type,
      response: response,
      clientExtensionResults: credential.getClientExtensionResults(),
      authenticatorAttachment: credential.authenticatorAttachment || undefined,
    };
  }
  document.querySelectorAll('form[data-webauthn]').forEach(function (form) {
    var button = form.querySelector('button[data-webauthn-start]');
    var output = form.querySelector('input[name="credential"]');
    var status = form.querySelector('[data-webauthn-status]');
    if (!button || !output) return;
    if (!window.PublicKeyCredential || !navigator.credentials) {
      if (status) status.textContent = form.getAttribute('data-unsupported') || '';
      return;
    }
    if (status) status.textContent = '';
    button.disabled = false;
    form.addEventListener('submit', function (event) {
      event.preventDefault();
      button.disabled = true;
      if (status) status.textContent = '';
      var json = JSON.parse(form.getAttribute('data-options'));
      var asked = form.getAttribute('data-webauthn') === 'create'
        ? navigator.credentials.create({ publicKey: creationOptions(json) })
        : navigator.credentials.get({ publicKey: requestOptions(json) });
      asked.then(function (credential) {
        output.value = JSON.stringify(toJSON(credential));
        form.submit();
      }, function () {
        if (status) status.textContent = form.getAttribute('data-failed') || '';
        button.disabled = false;
      });
    });
  });
})();
`;
