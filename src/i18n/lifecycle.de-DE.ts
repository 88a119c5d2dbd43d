import type { lifecycleEnUS } from './lifecycle.en-US.ts';

export const lifecycleDeDE: typeof lifecycleEnUS = {
  'optout.title': 'Einladungen stoppen',
  'optout.intro':
    'Organisationen auf diesem Portico-Dienst können Sie per E-Mail einladen, ihre Apps zu nutzen. Hier können Sie Einladungen an Ihre Adresse stoppen, von einer Organisation oder von allen, und sie später wieder zulassen.',
  'optout.forAddress': 'Einladungen an {address}',
  'optout.fromTenant': 'Die Einladung kam von {tenant}.',
  'optout.email': 'Ihre E-Mail-Adresse',
  'optout.proof':
    'Damit wir sicher sind, dass die Adresse Ihnen gehört, senden wir zuerst einen Code an sie. Ohne diesen Code ändert sich nichts.',
  'optout.send': 'Code per E-Mail senden',
  'optout.code.title': 'Code eingeben',
  'optout.code.sent': 'Wir haben einen Code an {address} gesendet. Er ist {minutes} Minuten gültig.',
  'optout.code': 'Code',
  'optout.code.hint': 'Die 6 Ziffern aus der E-Mail.',
  'optout.choice': 'Was möchten Sie tun?',
  'optout.choice.blockTenant': 'Einladungen von {tenant} stoppen',
  'optout.choice.blockAll': 'Einladungen von allen Organisationen auf diesem Dienst stoppen',
  'optout.choice.allowTenant': 'Einladungen von {tenant} wieder zulassen',
  'optout.choice.allowAll': 'Einladungen von allen Organisationen wieder zulassen (hebt alle Ihre Sperren auf)',
  'optout.confirm': 'Bestätigen',
  'optout.resend': 'Neuen Code senden',
  'optout.resent': 'Wir haben einen neuen Code gesendet.',
  'optout.done.title': 'Ihre Wahl ist gespeichert',
  'optout.state.everywhere': 'Einladungen an {address} von allen Organisationen auf diesem Dienst sind gestoppt.',
  'optout.state.tenant': 'Einladungen an {address} von {tenant} sind gestoppt.',
  'optout.state.tenantAllowed': '{tenant} darf {address} wieder einladen.',
  'optout.state.none': 'Keine Organisation ist daran gehindert, {address} einzuladen.',
  'optout.state.someLeft': 'Organisationen, die Sie einzeln gestoppt haben, bleiben gestoppt.',
  'optout.change': 'Das ändern (wir senden einen neuen Code)',
  'optout.error.formExpired': 'Dieses Formular ist abgelaufen. Beginnen Sie erneut.',
  'optout.error.throttled': 'Zu viele Versuche. Warten Sie einige Minuten und versuchen Sie es erneut.',
  'optout.error.codeFormat': 'Geben Sie den 6-stelligen Code aus der E-Mail ein.',
  'optout.error.codeWrong': 'Dieser Code stimmt nicht. Prüfen Sie die E-Mail und versuchen Sie es erneut.',
  'optout.error.codeExpired': 'Dieser Code ist abgelaufen. Fordern Sie einen neuen an.',
  'optout.error.codeLocked': 'Zu viele falsche Codes. Fordern Sie einen neuen an.',
  'optout.error.choice': 'Wählen Sie, was geschehen soll.',
  'optout.error.badLink':
    'Dieser Link ist ungültig (vielleicht wurde er abgeschnitten). Geben Sie stattdessen Ihre Adresse ein.',
  'optout.mail.fromName': 'Portico',
  'optout.mail.subject': 'Ihr Code zum Verwalten von Einladungen an {address}',
  'optout.mail.heading': 'Ihr Code',
  'optout.mail.body':
    'Jemand, hoffentlich Sie, möchte ändern, welche Organisationen {address} über Portico einladen dürfen. Geben Sie diesen Code auf der Seite ein:',
  'optout.mail.validity': 'Der Code ist {minutes} Minuten gültig.',
  'optout.mail.ignore':
    'Wenn Sie das nicht angefordert haben, ignorieren Sie diese E-Mail: Ohne den Code ändert sich nichts.',
  'optout.mail.footer': 'Diese E-Mail wurde von Portico gesendet, dem Dienst, über den Organisationen Sie einladen.',

  'mail.optOut.lead': 'Sie möchten keine Einladungen von {tenant} oder von anderen auf diesem Dienst?',
  'mail.optOut.link': 'Einladungen stoppen',

  'reminder.subject': 'Erinnerung: Ihre Einladung zu {tenant} läuft am {date} ab',
  'reminder.heading': 'Ihre Einladung zu {tenant} läuft bald ab',
  'reminder.body':
    '{inviter} hat Sie am {invited} eingeladen, auf Anwendungen von {tenant} zuzugreifen. Sie haben noch nicht angenommen; der Link in dieser Einladungs-E-Mail funktioniert bis {date}.',
  'reminder.how':
    'Öffnen Sie zum Annehmen die Einladungs-E-Mail und wählen Sie „Einladung annehmen“, oder melden Sie sich unten mit {email} an.',
  'reminder.howLinkOnly': 'Öffnen Sie zum Annehmen die Einladungs-E-Mail und wählen Sie „Einladung annehmen“.',
  'reminder.signIn': 'Bei {tenant} anmelden',
  'reminder.ignore':
    'Wenn Sie {tenant} nicht beitreten möchten, ignorieren Sie diese E-Mail: Die Einladung läuft von selbst ab.',

  'sponsorNotice.subject': 'Wir haben {guest} an die Einladung zu {tenant} erinnert',
  'sponsorNotice.body':
    '{guest} ({email}) hat die Einladung zu {tenant} noch nicht angenommen. Wir haben eine Erinnerung gesendet; der Einladungslink läuft am {date} ab.',
  'sponsorNotice.why': 'Sie erhalten diese E-Mail, weil Sie {guest} bei {tenant} betreuen (Sponsor).',
  'sponsorNotice.open': '{guest} im Admin Center öffnen',

  'expirySummary.subject': 'Einladungen zu {tenant}, die am {day} ungenutzt abgelaufen sind',
  'expirySummary.body': 'Diese Einladungen zu {tenant} sind am {day} abgelaufen, ohne angenommen worden zu sein:',
  'expirySummary.item': '{name} ({email}), eingeladen am {invited}',
  'expirySummary.reinvite':
    'Um jemanden erneut einzuladen, öffnen Sie die Seite der Person im Admin Center und wählen Sie „Erneut einladen“.',
  'expirySummary.open': 'Admin Center öffnen',
  'expirySummary.why':
    'Sie erhalten diese E-Mail, weil Sie diese Gäste eingeladen haben oder betreuen und {tenant} eine tägliche Übersicht abgelaufener Einladungen sendet.',

  'admin.user.sponsors': 'Sponsoren',
  'admin.user.invitation': 'Einladungslink',
  'admin.user.invitation.expires': 'Läuft ab am {date}',
  'admin.user.invitation.expired': 'Abgelaufen am {date}',
  'admin.user.reinvite': 'Erneut einladen',
};
