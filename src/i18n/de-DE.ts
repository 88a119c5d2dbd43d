import { addressDeDE } from './address.de-DE.ts';
import { adminAccessDeDE } from './admin-access.de-DE.ts';
import { adminAppsDeDE } from './admin-apps.de-DE.ts';
import { adminBulkDeDE } from './admin-bulk.de-DE.ts';
import { adminDirectoryDeDE } from './admin-directory.de-DE.ts';
import { adminDomainsDeDE } from './admin-domains.de-DE.ts';
import { adminInactiveDeDE } from './admin-inactive.de-DE.ts';
import { adminTermsDeDE } from './admin-terms.de-DE.ts';
import { adminUserpageDeDE } from './admin-userpage.de-DE.ts';
import { adminDeDE } from './admin.de-DE.ts';
import { conditionalAccessDeDE } from './conditional-access.de-DE.ts';
import { consentDeDE } from './consent.de-DE.ts';
import { crossTenantDeDE } from './crosstenant.de-DE.ts';
import { deletedDeDE } from './deleted.de-DE.ts';
import { deviceDeDE } from './device.de-DE.ts';
import { edgeDeDE } from './edge.de-DE.ts';
import type { Messages } from './en-US.ts';
import { federationDeDE } from './federation.de-DE.ts';
import { govDeletedDeDE } from './gov-deleted.de-DE.ts';
import { lifecycleDeDE } from './lifecycle.de-DE.ts';
import { listPagesDeDE } from './list-pages.de-DE.ts';
import { listsDeDE } from './lists.de-DE.ts';
import { mfaDeDE } from './mfa.de-DE.ts';
import { multitenantDeDE } from './multitenant.de-DE.ts';
import { myappsDeDE } from './myapps.de-DE.ts';
import { passkeyDeDE } from './passkey.de-DE.ts';
import { personalDeDE } from './personal.de-DE.ts';
import { policyDeDE } from './policy.de-DE.ts';
import { redeemDeDE } from './redeem.de-DE.ts';
import { refusalsDeDE } from './refusals.de-DE.ts';
import { sessionsDeDE } from './sessions.de-DE.ts';
import { shellDeDE } from './shell.de-DE.ts';
import { switchDeDE } from './switch.de-DE.ts';
import { termsDeDE } from './terms.de-DE.ts';

export const deDE: Messages = {
  'signin.title': 'Anmelden',
  'signin.to': 'um mit {app} fortzufahren',
  'signin.email': 'E-Mail-Adresse',
  'signin.next': 'Weiter',
  'signin.password': 'Kennwort',
  'signin.submit': 'Anmelden',
  'signin.back': 'Anderes Konto verwenden',
  'signin.unknown':
    'In {tenant} gibt es kein Konto mit dieser Adresse. Prüfen Sie sie, oder wenden Sie sich an Ihre Administration.',
  'signin.badPassword': 'Konto oder Kennwort ist falsch. Versuchen Sie es erneut.',
  'signin.disabled': 'Dieses Konto ist deaktiviert. Bitten Sie Ihre Administration, es zu aktivieren.',
  'signin.throttled': 'Zu viele Versuche. Warten Sie einige Minuten, und versuchen Sie es dann erneut.',
  'signin.locked':
    'Dieses Konto ist nach zu vielen falschen Kennwörtern gesperrt. Bitten Sie Ihren Administrator, Ihr Kennwort zurückzusetzen.',
  'signin.lockedPersonal':
    'Dieses Konto ist nach zu vielen falschen Kennwörtern gesperrt. Setzen Sie Ihr Kennwort zurück, um es zu entsperren.',
  'error.title': 'Ein Fehler ist aufgetreten',
  'error.oidc':
    'Die Anmeldeanforderung konnte nicht abgeschlossen werden: {reason}. Kehren Sie zur App zurück, und beginnen Sie erneut.',
  'error.expired': 'Diese Anmeldeseite ist abgelaufen. Kehren Sie zur App zurück, und beginnen Sie erneut.',
  'error.notFound':
    'Unter dieser Adresse gibt es nichts. Prüfen Sie den Link, oder fragen Sie die Person, die ihn gesendet hat.',
  'error.tenantNotFound':
    'Keine Organisation auf diesem Portico passt zu „{tenant}“. Prüfen Sie den Link, oder fragen Sie die Organisation nach dem richtigen.',
  'error.server':
    'Portico konnte diese Anforderung nicht verarbeiten. Versuchen Sie es gleich noch einmal; falls es wieder passiert, informieren Sie Ihre Administration.',
  'logout.title': 'Abmelden',
  'logout.question': 'Möchten Sie sich von {tenant} abmelden?',
  'logout.yes': 'Abmelden',
  'logout.no': 'Angemeldet bleiben',
  'logout.done': 'Sie haben sich von {tenant} abgemeldet. Sie können dieses Fenster schließen.',
  'footer.privacy': 'Datenschutzerklärung',
  'footer.noPrivacy': '{tenant} hat keine Datenschutzerklärung angegeben.',
  'invite.fromName': '{tenant} über Portico',
  'invite.subject': '{inviter} hat Sie eingeladen, auf Anwendungen von {tenant} zuzugreifen',
  'invite.heading': 'Sie sind zu {tenant} eingeladen',
  'invite.intro': '{inviter} ({inviterEmail}) hat Sie eingeladen, auf Anwendungen von {tenant} zuzugreifen.',
  'invite.introNoAddress': '{inviter} hat Sie eingeladen, auf Anwendungen von {tenant} zuzugreifen.',
  'invite.message': 'Nachricht von {inviter}:',
  'invite.accept': 'Einladung annehmen',
  'invite.redirectHost': 'Nach dem Annehmen gelangen Sie zu {host}.',
  'invite.linkHelp': 'Falls die Schaltfläche nicht funktioniert, kopieren Sie diese Adresse in Ihren Browser:',
  'invite.caution':
    'Nehmen Sie die Einladung nur an, wenn Sie {tenant} kennen und sie erwartet haben. Wenn Sie den Absender nicht kennen, ignorieren Sie diese E-Mail: Ohne Ihre Zustimmung geschieht nichts.',
  'invite.privacy': 'Datenschutzerklärung von {tenant}: {url}',
  'invite.noPrivacy':
    '{tenant} hat keine Datenschutzerklärung angegeben. Fragen Sie vor dem Annehmen, wie Ihre Daten verwendet werden.',
  'invite.footer': 'Diese Einladung wurde von {tenant} über Portico gesendet.',
  ...redeemDeDE,
  ...personalDeDE,
  ...termsDeDE,
  ...federationDeDE,
  ...myappsDeDE,
  ...adminDeDE,
  ...adminBulkDeDE,
  ...adminDirectoryDeDE,
  ...adminAppsDeDE,
  ...adminAccessDeDE,
  ...adminTermsDeDE,
  ...adminDomainsDeDE,
  ...lifecycleDeDE,
  ...sessionsDeDE,
  ...switchDeDE,
  ...multitenantDeDE,
  ...edgeDeDE,
  ...deviceDeDE,
  ...addressDeDE,
  ...refusalsDeDE,
  // consent18
  ...consentDeDE,
  // deleted19
  ...deletedDeDE,
  // signinlog19
  ...adminInactiveDeDE,
  // policy19
  ...policyDeDE,
  // gov-deleted
  ...govDeletedDeDE,
  // ux-flow
  ...shellDeDE,
  // mfa-passkey
  ...passkeyDeDE,
  // mfa-core
  ...mfaDeDE,
  // mfa-policy
  ...conditionalAccessDeDE,
  // ux-lists
  ...listsDeDE,
  ...adminUserpageDeDE,
  ...crossTenantDeDE,
  ...listPagesDeDE,
};
