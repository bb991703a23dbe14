/**
 * The few pages the identity provider renders itself (device-code entry and confirmation, logout
 * confirmation, errors). Plain HTML with one same-origin stylesheet and no inline script or style,
 * so they run under the platform's strict Content-Security-Policy. Everything interpolated is
 * escaped.
 */

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} · Parley</title>
<link rel="stylesheet" href="/idp.css">
</head>
<body>
<main class="idp-card">
<h1>${escapeHtml(title)}</h1>
${body}
</main>
</body>
</html>`;
}

export function deviceCodeInputPage(form: string, error: string | undefined): string {
  const message =
    error === undefined
      ? '<p>Enter the code shown on your device.</p>'
      : `<p class="idp-error" role="alert">${escapeHtml(error)}</p>`;
  return page(
    'Sign in on another device',
    `${message}${form}<button type="submit" form="op.deviceInputForm">Continue</button>`,
  );
}

export function deviceCodeConfirmPage(form: string, clientName: string, userCode: string): string {
  return page(
    'Confirm the device',
    `<p><strong>${escapeHtml(clientName)}</strong> wants to sign in as you.</p>
<p>Check that your device shows this code:</p>
<p class="idp-code"><code>${escapeHtml(userCode)}</code></p>
<p>If you did not start this, or the code is different, choose Cancel.</p>
${form}
<button type="submit" form="op.deviceConfirmForm">Continue</button>
<button type="submit" form="op.deviceConfirmForm" value="yes" name="abort" class="idp-secondary">Cancel</button>`,
  );
}

export function deviceCodeSuccessPage(clientName: string): string {
  return page(
    'You are signed in',
    `<p>${escapeHtml(clientName)} is now signed in. You can close this window and return to your device.</p>`,
  );
}

export function logoutConfirmPage(form: string): string {
  return page(
    'Sign out',
    `<p>Do you want to sign out of Parley?</p>${form}
<button type="submit" form="op.logoutForm" value="yes" name="logout">Sign out</button>`,
  );
}

export function signedOutPage(): string {
  return page('You are signed out', '<p>You can close this window.</p><p><a href="/">Back to Parley</a></p>');
}

export function errorPage(error: string, description: string | undefined): string {
  return page(
    'Sign-in problem',
    `<p class="idp-error" role="alert">${escapeHtml(description ?? 'The request could not be completed.')}</p>
<p><small>Error code: <code>${escapeHtml(error)}</code></small></p>`,
  );
}
