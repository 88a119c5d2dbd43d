import type { multitenantEnUS } from './multitenant.en-US.ts';

export const multitenantDeDE: Record<keyof typeof multitenantEnUS, string> = {
  'mt.consent.title': 'Angeforderte Berechtigungen',
  'mt.consent.intro': '{app}, veröffentlicht von {publisher}, möchte Ihr Konto bei {tenant} verwenden. Die App möchte:',
  'mt.consent.signIn': 'Sie anmelden und Ihr Profil lesen',
  'mt.consent.offline': 'Den Zugriff auf das, was Sie erlaubt haben, behalten, auch wenn Sie die App nicht verwenden',
  'mt.consent.note':
    'Wenn Sie zustimmen, wird {app} zu den Unternehmensanwendungen von {tenant} hinzugefügt. Fragen dazu beantwortet ein Administrator von {tenant}.',
  'mt.consent.accept': 'Zustimmen',
  'mt.consent.cancel': 'Abbrechen',
  'mt.adminConsent':
    '{app}, veröffentlicht von {publisher}, fordert bei {tenant} Berechtigungen an, die nur ein Administrator erteilen kann ({permissions}). Ein Administrator von {tenant} muss die App zuerst hinzufügen (Graph: POST /v1.0/servicePrincipals mit appId {clientId}, dann POST /v1.0/servicePrincipals/<ihre id>/adminConsent). Versuchen Sie es danach erneut.',
  'common.title': 'Anmelden',
  'common.to': 'um mit {app} fortzufahren',
  'common.personalToo': 'Verwenden Sie Ihr Geschäfts- oder Schulkonto oder ein persönliches Konto.',
  'common.personalOnly': 'Verwenden Sie ein persönliches Konto.',
  'common.notForOrg':
    '{app} kann nicht mit Konten von {tenant} verwendet werden. Verwenden Sie ein Konto einer Organisation, die {app} nutzt, oder wenden Sie sich an den Herausgeber der App.',
  'common.notForPersonal':
    '{app} kann nicht mit persönlichen Konten verwendet werden. Verwenden Sie ein Geschäfts- oder Schulkonto.',
  'common.badRequest': 'Diese Anmeldeanforderung ist ungültig: {reason}',
  'common.notMultiTenant':
    '{app} ist keine mehrinstanzenfähige Anwendung: Die Anmeldung über diesen gemeinsamen Endpunkt ist nicht möglich. Verwenden Sie die Anmeldeadresse der Organisation.',
  'common.options': 'Anmeldeoptionen',
  'common.toOrg': 'Bei einer Organisation anmelden',
  'common.toOrgIntro':
    'Geben Sie den Domänennamen der Organisation ein, bei der Sie Gast sind, um sich dort anzumelden.',
  // personal18
  'common.unknown':
    'AADSTS50020: Mit {address} meldet sich hier keine Organisation an, und {app} kann über diesen Endpunkt nicht mit persönlichen Konten verwendet werden. Verwenden Sie Ihre Geschäfts- oder Schuladresse; wenn Sie Gast einer Organisation sind, wählen Sie Anmeldeoptionen und dann Bei einer Organisation anmelden.',
  'consumer.title': 'Mit Ihrem persönlichen Konto anmelden',
  'consumer.unverified':
    'Die E-Mail-Adresse dieses persönlichen Kontos ist noch nicht bestätigt. Bestätigen Sie sie mit dem Code aus unserer E-Mail, oder erstellen Sie das Konto erneut.',
};
