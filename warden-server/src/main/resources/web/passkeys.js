// Passkey ceremonies for Warden's pages. The server sends WebAuthn options as JSON (base64url);
// the browser's JSON helpers turn them into the arguments navigator.credentials expects.
"use strict";

function csrf() {
  return document.querySelector('meta[name="csrf"]').content;
}

async function post(url, body) {
  const response = await fetch(url, {
    method: "POST",
    credentials: "same-origin",
    headers: { "Content-Type": "application/json", "X-Warden-CSRF": csrf() },
    body: JSON.stringify(body || {}),
  });
  const json = await response.json();
  if (!response.ok) {
    throw new Error(json.error || String(response.status));
  }
  return json;
}

function show(message) {
  const el = document.getElementById("passkey-status");
  if (el) {
    el.textContent = message;
  }
}

function registration(c) {
  const j = c.toJSON();
  return JSON.stringify({ type: j.type, id: j.id, rawId: j.rawId, clientExtensionResults: {},
    response: { clientDataJSON: j.response.clientDataJSON, attestationObject: j.response.attestationObject,
      transports: j.response.transports || [] } });
}

function assertion(c) {
  const j = c.toJSON();
  return JSON.stringify({ type: j.type, id: j.id, rawId: j.rawId, clientExtensionResults: {},
    response: { clientDataJSON: j.response.clientDataJSON, authenticatorData: j.response.authenticatorData,
      signature: j.response.signature, userHandle: j.response.userHandle } });
}

document.addEventListener("DOMContentLoaded", () => {
  const add = document.getElementById("add-passkey");
  if (add) {
    add.addEventListener("click", async () => {
      try {
        const started = await post("/-/web/passkeys/register/options");
        const options = PublicKeyCredential.parseCreationOptionsFromJSON(JSON.parse(started.options).publicKey);
        const credential = await navigator.credentials.create({ publicKey: options });
        await post("/-/web/passkeys/register/finish", { request: started.request, credential: registration(credential) });
        location.reload();
      } catch (e) {
        show("Could not add the passkey: " + e.message);
      }
    });
  }
  const signin = document.getElementById("passkey-signin");
  if (signin) {
    signin.addEventListener("click", async () => {
      try {
        const started = await post("/-/web/passkeys/login/options");
        const options = PublicKeyCredential.parseRequestOptionsFromJSON(JSON.parse(started.options).publicKey);
        const credential = await navigator.credentials.get({ publicKey: options });
        const done = await post("/-/web/passkeys/login/finish",
          { request: started.request, credential: assertion(credential),
            login: signin.dataset.login || null, otp: signin.dataset.otp || null });
        location.href = done.next;
      } catch (e) {
        show("Could not sign in with a passkey: " + e.message);
      }
    });
  }
});
