// Terms of use pages (src/consent/terms-page.tsx).
export const termsEnUS = {
  'terms.title': 'Terms of use',
  'terms.intro': '{tenant} asks you to read and accept its terms of use, "{name}", before you continue.',
  'terms.pdf': 'The terms are a PDF document.',
  'terms.openPdf': 'Open "{name}" (PDF)',
  'terms.viewed': 'I have read the terms of use',
  'terms.accept': 'Accept',
  'terms.decline': 'Decline',
  'terms.mustView': 'Open and read the terms, then confirm that you have read them.',
  'terms.declined':
    'You declined the terms of use of {tenant}, so you cannot access its applications. You can accept them the next time you sign in.',
  'terms.changed': 'The terms of use changed while you were reading them. Read the current version and answer again.',
};
