// Ablehnungen (src/errors.ts) auf Deutsch: was Seiten und die CLI zeigen. Die API sendet immer den en-US-Text
// (Graph-Fehlermeldungen). Namen von Eigenschaften, Optionen und Werten der API bleiben, wie die API sie schreibt.
import type { refusalsEnUS } from './refusals.en-US.ts';

export const refusalsDeDE: typeof refusalsEnUS = {
  'refusal.body.invalid': 'Die Anforderung enthält ungültige Werte: {detail}',
  'refusal.settings.invalid': 'Ungültige Einstellungen: {detail}',
  'refusal.domain.txtMismatch':
    'Der TXT-Eintrag bei {name} stimmt nicht: Veröffentlichen Sie "{expected}" (der dort gefundene {prefix}-Eintrag gehört nicht zu diesem Mandanten), und überprüfen Sie dann erneut.',
  'refusal.domain.txtMissing':
    'Die Überprüfung der Domäne ist fehlgeschlagen: Bei {name} wurde kein TXT-Eintrag "{expected}" gefunden. Veröffentlichen Sie ihn bei Ihrem DNS-Anbieter, warten Sie, bis er sich verbreitet hat, und überprüfen Sie dann erneut.',
  'refusal.crosstenant.outboundBlocked':
    'Die mandantenübergreifenden Zugriffseinstellungen der Heimorganisation von {email} erlauben ihren Benutzern keine Zusammenarbeit mit dieser Organisation (ausgehende B2B-Zusammenarbeit ist blockiert).',
  'refusal.crosstenant.inboundBlocked':
    'Die mandantenübergreifenden Zugriffseinstellungen dieser Organisation lassen Benutzer der Organisation von {email} nicht als Gäste zu (eingehende B2B-Zusammenarbeit ist blockiert).',
  'refusal.invitation.optedOutTenant':
    '{email} möchte keine Einladungen von dieser Organisation erhalten, daher hat Portico nicht eingeladen. Nur die Person selbst kann das rückgängig machen, unter {url} oder über den Link in einer Einladungs-E-Mail.',
  'refusal.invitation.optedOutDeployment':
    '{email} möchte von keiner Organisation auf dieser Installation Einladungen erhalten, daher hat Portico nicht eingeladen. Nur die Person selbst kann das rückgängig machen, unter {url} oder über den Link in einer Einladungs-E-Mail.',
  'refusal.password.tooShort': 'Das Kennwort muss mindestens {min} Zeichen lang sein.',
  'refusal.password.tooLong': 'Das Kennwort darf höchstens {max} Zeichen lang sein.',
  'refusal.password.sameAsEmail': 'Das Kennwort darf nicht mit der E-Mail-Adresse übereinstimmen.',
  'refusal.bulk.notUtf8':
    'Zeile {line} ist kein gültiges UTF-8; speichern Sie die Datei als UTF-8 (in Excel: "CSV UTF-8 (durch Trennzeichen getrennt)") und versuchen Sie es erneut',
  'refusal.bulk.nul':
    'Zeile {line} enthält ein NUL-Zeichen (U+0000), das in Text nie vorkommt; speichern Sie die Datei als UTF-8-Text und versuchen Sie es erneut',
  'refusal.bulk.noEmail':
    'die CSV-Datei hat keine E-Mail-Spalte (erwartet wird eine Überschrift wie "Email address to invite [inviteeEmail] Required" oder "email"); gefundene Überschriften: {headings}',
  'refusal.bulk.unreadable': 'Die CSV-Datei ist nicht lesbar: {detail}',
  'refusal.bulk.noHeading': 'die CSV-Datei hat keine Überschriftenzeile',
  'refusal.bulk.tooLarge': 'Die Datei ist größer als {size} MiB.',
  'refusal.bulk.noRows': 'Die Datei enthält keine Zeilen zum Einladen.',
  'refusal.bulk.tooManyRows': 'Die Datei hat {rows} Zeilen; erlaubt sind höchstens {max}.',
  'refusal.address.invalid': '"{value}" ist keine gültige E-Mail-Adresse für {what}: {reason}',
  'refusal.apps.adminConsentStray':
    'Administratorzustimmung kann nur für Berechtigungen verlangt werden, die die App anfordert: {stray}.',
  'refusal.apps.alreadyAssigned': 'Die zugewiesene Berechtigung ist für das Objekt bereits vorhanden.',
  'refusal.apps.clientCredentialsConfidential': 'Clientanmeldeinformationen erfordern eine vertrauliche App.',
  'refusal.apps.defaultRoleOnly': 'Portico-Apps haben nur die Standardrolle: appRoleId muss {defaultAppRole} sein.',
  'refusal.apps.displayNameEmpty': 'displayName darf nicht leer sein.',
  'refusal.apps.displayNameLong': 'displayName darf höchstens {max} Zeichen lang sein.',
  'refusal.apps.secretEnd': 'endDateTime muss ein Zeitpunkt in der Zukunft sein: {value} ist es nicht.',
  'refusal.apps.secretKeyId':
    'keyId fehlt: die keyId des zu entfernenden Geheimnisses, wie passwordCredentials sie nennt.',
  'refusal.apps.secretNotFound': 'Diese Anwendung hat kein Kennwort mit der keyId {keyId}.',
  'refusal.apps.managementApp':
    'Die Verwaltungs-App des Mandanten kann nicht gelöscht werden: Über sie wird der Mandant mit der API verwaltet.',
  'refusal.apps.managementSingleTenant':
    'Die Verwaltungs-App des Mandanten gehört nur ihm: Sie kann nicht mehrinstanzenfähig sein.',
  'refusal.apps.signInAudience': 'signInAudience muss einer dieser Werte sein: {values}.',
  'refusal.servicePrincipals.exists': "Dieser Mandant hat bereits einen Dienstprinzipal für die Anwendung '{appId}'.",
  'refusal.servicePrincipals.filter':
    "servicePrincipals lassen sich nur nach appId filtern: $filter=appId eq '<Client-ID>'.",
  'refusal.servicePrincipals.notMultiTenant':
    "Die Anwendung '{appId}' ist nicht mehrinstanzenfähig: Ihr signInAudience ist {audience}.",
  'refusal.servicePrincipals.ownApp':
    "Die Anwendung '{appId}' ist in diesem Mandanten registriert: Sie wird als Anwendung verwaltet.",
  'refusal.apps.noRedirectUri': 'Eine App, die Benutzer anmeldet, braucht mindestens einen Umleitungs-URI.',
  'refusal.apps.publicClientWithSecret':
    'isFallbackPublicClient kann für eine App mit geheimem Clientschlüssel nicht eingeschaltet werden: ihre Anmeldungen bräuchten den Schlüssel nicht mehr. Registrieren Sie für den Gerätecode-Flow eine eigene App ohne geheimen Schlüssel (isFallbackPublicClient: true).',
  'refusal.apps.notAssigned': '"{principalId}" ist der Anwendung "{id}" nicht zugewiesen.',
  'refusal.apps.permissionName': 'Kein Berechtigungsname: {names} (erwartet wird ein Name wie User.Read).',
  'refusal.apps.permissionTwice': 'Eine delegierte Berechtigung ist doppelt aufgeführt.',
  'refusal.apps.redirectUri':
    '"{uri}" ist kein zulässiger Umleitungs-URI (https, oder http auf localhost; ohne Fragment und ohne Anmeldedaten).',
  'refusal.apps.redirectUriLong': 'Ein Umleitungs-URI darf höchstens {max} Zeichen lang sein.',
  'refusal.apps.resourceId': 'resourceId muss die ID dieser Anwendung sein ({id}).',
  'refusal.apps.signInMethodsEmpty':
    'Geben Sie mindestens eine Anmeldemethode an (pwd, otp, fed) oder null, um jede zu akzeptieren.',
  'refusal.apps.signInMethodTwice': 'Eine Anmeldemethode ist doppelt aufgeführt.',
  'refusal.apps.tooManyPermissions': 'Eine App darf höchstens {max} Berechtigungen anfordern.',
  'refusal.apps.tooManyRedirectUris': 'Eine App darf höchstens {max} Umleitungs-URIs haben.',
  'refusal.apps.unknownPermission': 'Unbekannte Anwendungsberechtigung(en): {unknown}.',
  'refusal.apps.unknownSignInMethod': 'Unbekannte Anmeldemethode(n): {methods}; verwenden Sie {known}.',
  'refusal.apps.urlNotAllowed':
    '{name} "{uri}" ist nicht zulässig: Geben Sie eine https-URL an (http auf localhost), ohne Anmeldedaten.',
  'refusal.auth.insufficientPrivileges':
    'Unzureichende Berechtigungen für diesen Vorgang. Erforderlich ist eine von: {anyOf}.',
  'refusal.auth.inviteMember': 'Zum Einladen eines Mitglieds ist eine dieser Berechtigungen nötig: {writeUsers}.',
  'refusal.body.notJson': 'Der Anforderungstext muss JSON mit Content-Type: application/json sein.',
  'refusal.body.notObject': 'Der Anforderungstext muss ein JSON-Objekt sein.',
  'refusal.body.odataIdUser': '"@odata.id" muss auf einen Benutzer verweisen, etwa {example}.',
  'refusal.body.odataIdObject': '"@odata.id" muss auf ein Verzeichnisobjekt verweisen, etwa {example}.',
  'refusal.body.tooLargeKb': 'Der Anforderungstext ist größer als {size} KB.',
  'refusal.body.tooLargeMb': 'Der Anforderungstext ist größer als {size} MB.',
  'refusal.cli.allowOrAny': 'Geben Sie --allow <Methode> (eine oder mehrere von pwd, otp, fed) oder --any an.',
  'refusal.cli.crossTenantNothing':
    'Nichts zu setzen: Geben Sie --inbound, --outbound, --auto-inbound oder --auto-outbound an.',
  'refusal.cli.emailOrCsv': 'Geben Sie entweder eine E-Mail-Adresse oder --csv <Datei> an.',
  'refusal.cli.metadataFileOrUrl': 'Geben Sie --metadata-file oder --metadata-url an, nicht beides.',
  'refusal.cli.partnerGuid': '--partner muss die Mandanten-ID des Partners sein (eine GUID), nicht "{value}".',
  'refusal.cli.permission':
    '--permission "{spec}" ist ungültig: Geben Sie einen Namen wie User.Read an, oder User.Read:admin, wenn die Berechtigung Administratorzustimmung braucht.',
  'refusal.cli.providerNotFound': '{displayName} hat keinen Identitätsanbieter "{id}".',
  'refusal.cli.providerSource':
    'Geben Sie den Identitätsanbieter als --metadata-file <Pfad>, --metadata-url <URL> oder --issuer <URI> mit --sign-in-url <URL> und --certificate-file <PEM> an.',
  'refusal.cli.reacceptDays': '--reaccept-days muss eine ganze Zahl von Tagen sein (erhalten: "{value}").',
  'refusal.cli.resendAddress': '--resend braucht die Adresse des Gasts (oder seine Benutzer-ID).',
  'refusal.cli.secretVariable':
    'Die Umgebungsvariable {variable} ist nicht gesetzt oder leer: Legen Sie den geheimen Clientschlüssel darin ab.',
  'refusal.cli.termsFileType': '"{path}" ist keine .pdf-, .txt- oder .md-Datei.',
  'refusal.cli.unreadable': '"{path}" kann nicht gelesen werden.',
  'refusal.cli.unreadableFile': 'Die Datei ({what}) "{path}" kann nicht gelesen werden.',
  'refusal.cli.userNotFound':
    'Kein Benutzer dieses Mandanten hat die ID, den userPrincipalName oder die E-Mail-Adresse "{ref}".',
  'refusal.cli.userOrGroup': 'Geben Sie genau eines an: --user <UPN|E-Mail|ID> oder --group <ID>.',
  'refusal.crosstenant.applicationTargets':
    "Ziele in applications müssen targetType 'application' haben (die Client-ID einer Anwendung oder '{allApplications}').",
  'refusal.crosstenant.autoConsentDefault':
    'automaticUserConsentSettings kann in der Standardkonfiguration nicht eingeschaltet werden: Setzen Sie es für jeden Partner einzeln.',
  'refusal.crosstenant.ownPartner': 'Ein Mandant kann nicht sein eigener Partner sein.',
  'refusal.crosstenant.partnerExists':
    'Mandantenübergreifende Zugriffseinstellungen für den Partner "{partner}" gibt es bereits: Ändern Sie diese stattdessen.',
  'refusal.crosstenant.partnerGuid': 'Die Mandanten-ID des Partners "{partnerTenantId}" ist keine GUID.',
  'refusal.crosstenant.partnerNotFound':
    'Für den Partner "{id}" gibt es keine mandantenübergreifenden Zugriffseinstellungen.',
  'refusal.crosstenant.userTargets':
    "Ziele in usersAndGroups müssen targetType 'user' oder 'group' haben ('{allUsers}' mit targetType 'user').",
  'refusal.domain.dnsFailed':
    'Die DNS-Abfrage für {name} ist fehlgeschlagen ({code}); versuchen Sie es gleich noch einmal.',
  'refusal.domain.exists': 'Die Domäne {name} ist bereits eine Domäne dieses Mandanten.',
  'refusal.domain.initialRemove': '{name} ist die Anfangsdomäne dieses Mandanten und kann nicht entfernt werden.',
  'refusal.domain.initialSuffix':
    'Namen unter {suffix} sind die Anfangsdomänen der Mandanten dieses Portico und können nicht hinzugefügt werden.',
  'refusal.domain.initialVerified': '{name} ist die Anfangsdomäne dieses Mandanten: Sie ist immer überprüft.',
  'refusal.domain.inUse':
    '{n} Benutzer dieses Mandanten melden sich mit einem Namen in {name} an: Ändern Sie zuerst deren userPrincipalName, und entfernen Sie dann die Domäne.',
  'refusal.domain.invalid': '"{input}" ist kein gültiger Domänenname.',
  'refusal.domain.tooMany': 'Ein Mandant kann höchstens {maxDomains} Domänen haben.',
  'refusal.domain.verifiedElsewhere':
    'Die Domäne {name} ist von einer anderen Organisation auf diesem Portico überprüft; sie muss dort entfernt werden, bevor sie hier überprüft werden kann.',
  'refusal.edge.badForm':
    'Das Formular konnte nicht gelesen werden: {why}. Senden Sie es erneut so, wie das Formular der Seite es sendet.',
  'refusal.edge.badJson':
    'Die JSON-Nutzdaten der Anforderung konnten nicht gelesen werden: {why}. Prüfen Sie, ob der Content-Type-Header gesetzt ist und die Nutzdaten gültiges JSON sind.',
  'refusal.edge.controlCharacter':
    'Das Feld {what} enthält ein Steuerzeichen (U+0000 bis U+001F oder U+007F), das Portico nicht annimmt. Entfernen Sie es, und senden Sie die Anforderung erneut.',
  'refusal.edge.tooLarge':
    'Der Anforderungstext ist größer als {limit}, das Höchstmaß für diese Adresse. Senden Sie einen kleineren Text.',
  'refusal.edge.truncated': 'Der Anforderungstext endete, bevor er vollständig war.',
  'refusal.federation.certificateInvalid':
    'Das Signaturzertifikat ist kein gültiges X.509-Zertifikat (Base64-DER oder PEM).',
  'refusal.federation.certificateKey':
    'Das Signaturzertifikat hat einen {type}-Schlüssel; erforderlich sind RSA- oder EC-Schlüssel.',
  'refusal.federation.certificateRequired':
    'Ein Signaturzertifikat ist erforderlich: Portico akzeptiert nur signierte Antworten.',
  'refusal.federation.clientId': 'clientId ist erforderlich.',
  'refusal.federation.clientSecret': 'clientSecret ist erforderlich.',
  'refusal.federation.domainNotOfProvider': '"{domain}" ist keine Domäne von "{displayName}".',
  'refusal.federation.domainRaced':
    'Eine der Domänen {domains} wurde soeben einem anderen Identitätsanbieter dieses Mandanten zugeordnet.',
  'refusal.federation.domainServed':
    'Die Domäne {domain} wird bereits vom Identitätsanbieter "{displayName}" ({id}) bedient; eine Domäne gehört pro Mandant zu genau einem Identitätsanbieter.',
  'refusal.federation.domainTaken': 'Die Domäne {domain} ist bereits eine Domäne von "{displayName}".',
  'refusal.federation.domainVerified':
    '{verified} ist eine überprüfte Domäne einer Organisation auf diesem Portico: Ihre Adressen melden sich dort an, daher kann sie keinem Identitätsanbieter zugeordnet werden.',
  'refusal.federation.externalDomainMismatch':
    'ID und Name eines externalDomainName müssen dieselbe Domäne sein ("{id}" und "{name}").',
  'refusal.federation.externalDomainName': 'Ein externalDomainName braucht seinen Namen (oder seine ID).',
  'refusal.federation.googleDomains':
    'Google bedient nur gmail.com und googlemail.com; seine Domänen können nicht geändert werden.',
  'refusal.federation.httpsUrl': '{name} muss eine https-URL sein.',
  'refusal.federation.issuerUri': 'issuerUri ist erforderlich (die Entitäts-ID des Identitätsanbieters).',
  'refusal.federation.metadataUnreadable': 'Die Metadaten konnten nicht von {url} gelesen werden: {message}.',
  'refusal.federation.metadataUnusable':
    'Die Metadaten sind keine verwendbaren SAML-2.0-Metadaten eines Identitätsanbieters: {why}.',
  'refusal.federation.metadataUrl': 'metadataExchangeUri muss eine https-URL sein.',
  'refusal.federation.noDomains':
    'Mindestens eine Domäne ist erforderlich: Der Anbieter meldet die Adressen seiner Domänen an.',
  'refusal.federation.odataTypeMismatch': '@odata.type passt nicht: Dieser Identitätsanbieter ist ein {type}.',
  'refusal.federation.odataTypeRequired': '@odata.type ist erforderlich: {socialType} (Google) oder {oidcType}.',
  'refusal.federation.odataTypeUnsupported':
    '@odata.type "{type}" wird nicht unterstützt: Verwenden Sie {socialType} (Google) oder {oidcType}.',
  'refusal.federation.protocolFixed':
    'preferredAuthenticationProtocol kann nicht geändert werden: Legen Sie eine Verbundkonfiguration für das andere Protokoll an, und löschen Sie diese.',
  'refusal.federation.providerNotFound': 'Den Identitätsanbieter "{id}" gibt es nicht.',
  'refusal.federation.providerType':
    'identityProviderType "{identityProviderType}" wird nicht unterstützt: Portico unterstützt als sozialen Identitätsanbieter nur Google.',
  'refusal.federation.scopeOpenid': "scope muss 'openid' enthalten.",
  'refusal.filter.badLiteral': 'Ungültiger Filterausdruck: "{literal}" ist kein gültiger Wert.',
  'refusal.filter.empty': 'Ungültiger Filterausdruck: Der Ausdruck ist leer.',
  'refusal.filter.endsEarly': 'Ungültiger Filterausdruck: Der Ausdruck endet zu früh.',
  'refusal.filter.expected': 'Ungültiger Filterausdruck: "{expected}" erwartet, aber "{found}" gefunden.',
  'refusal.filter.expectedString':
    'Ungültiger Filterausdruck: Zeichenfolge in Anführungszeichen erwartet, aber "{text}" gefunden.',
  'refusal.filter.inTooLong': 'Ungültiger Filterausdruck: höchstens 50 Werte in einer "in"-Liste.',
  'refusal.filter.inUnsupported': '"in" wird für "{property}" nicht unterstützt; verwenden Sie eq.',
  'refusal.filter.invitations':
    "Einladungen können nach status, invitedUserEmailAddress und invitedUser/id mit 'eq' gefiltert werden, verbunden mit 'and'.",
  'refusal.filter.invitationsProperty': 'Einladungen können nicht nach "{property}" gefiltert werden.',
  'refusal.filter.invitationStatus': 'status muss einer dieser Werte sein: {invitationStatuses}.',
  'refusal.filter.notValue': 'Ungültiger Filterausdruck: "{text}" ist kein Wert.',
  'refusal.filter.operator':
    'Ungültiger Filterausdruck: Operator "{text}" wird nicht unterstützt (unterstützt: eq, ne, ge, le, in, startswith, and, or).',
  'refusal.filter.orderedNull': '"{property} {op} null" vergleicht mit nichts.',
  'refusal.filter.orderedType': '"{op}" wird nur für Zahlen und Zeitpunkte unterstützt, nicht für "{property}".',
  'refusal.filter.property': 'Das Filtern nach der Eigenschaft "{property}" wird nicht unterstützt.',
  'refusal.filter.startswithProperty': 'Ungültiger Filterausdruck: startswith braucht zuerst einen Eigenschaftsnamen.',
  'refusal.filter.startswithText': 'startswith wird nur für Texteigenschaften unterstützt.',
  'refusal.filter.tooDeep':
    'Ungültiger Filterausdruck: Die Klammern sind tiefer als {maxFilterDepth} Ebenen verschachtelt, mehr nimmt $filter nicht an. Vereinfachen Sie den Ausdruck.',
  'refusal.filter.tooManyTerms':
    'Ungültiger Filterausdruck: mehr als {maxFilterTerms} Bedingungen, mehr nimmt $filter nicht an. Verwenden Sie "in"-Listen, oder teilen Sie die Abfrage auf mehrere Anforderungen auf.',
  'refusal.filter.unclosedString': 'Ungültiger Filterausdruck: Eine Zeichenfolge ist nicht geschlossen.',
  'refusal.filter.unexpected': 'Ungültiger Filterausdruck: unerwartetes "{text}".',
  'refusal.filter.unexpectedAt': 'Ungültiger Filterausdruck: unerwartetes "{ch}" an Position {i}.',
  'refusal.filter.wantsBoolean': '"{property}" wird mit true oder false verglichen.',
  'refusal.filter.wantsDate':
    '"{property}" wird mit einem Zeitpunkt ohne Anführungszeichen verglichen, etwa 2026-01-31T00:00:00Z.',
  'refusal.filter.wantsInteger': '"{property}" wird mit einer ganzen Zahl verglichen.',
  'refusal.filter.wantsString': '"{property}" wird mit einer Zeichenfolge in Anführungszeichen verglichen.',
  'refusal.group.memberExists': 'Mindestens einer der hinzugefügten Verweise ist in "members" bereits vorhanden.',
  'refusal.group.notMember': '"{userId}" ist kein Mitglied der Gruppe "{groupId}".',
  'refusal.invitation.addressTaken':
    'Ein anderes Objekt verwendet bereits die Adresse "{email}" oder ihren Benutzerprinzipalnamen.',
  'refusal.invitation.ccLineBreak': 'Ein Name in ccRecipients darf keine Zeilenumbrüche enthalten.',
  'refusal.invitation.ccOne': 'ccRecipients unterstützt einen Empfänger.',
  'refusal.invitation.member':
    '"{email}" ist bereits Mitglied dieses Mandanten ({userPrincipalName}); Mitglieder werden nicht eingeladen.',
  'refusal.invitation.nameLineBreak': 'invitedUserDisplayName darf keine Zeilenumbrüche enthalten.',
  'refusal.invitation.noAddress': '"{userPrincipalName}" hat keine eingeladene Adresse.',
  'refusal.invitation.noGuest': 'Kein Gast von {displayName} wurde unter "{emailOrId}" eingeladen.',
  'refusal.invitation.notFound': 'Die Einladung "{id}" gibt es nicht.',
  'refusal.invitation.notPending': '"{userPrincipalName}" hat keine offene Einladung, die erneut gesendet werden kann.',
  'refusal.invitation.redirectUrl': 'inviteRedirectUrl muss eine absolute http(s)-URL ohne Anmeldedaten sein.',
  'refusal.invitation.resetNeedsUser':
    'resetRedemption braucht invitedUser.id: den Benutzer, dessen Einlösung zurückgesetzt wird.',
  'refusal.invitation.resetNotInvited':
    '"{userPrincipalName}" wurde nicht eingeladen: Nur bei eingeladenen Benutzern kann die Einlösung zurückgesetzt werden.',
  'refusal.passcode.cooldown':
    'Vor weniger als {resendCooldownSeconds} Sekunden wurde ein Code gesendet. Warten Sie einen Moment, bevor Sie einen weiteren anfordern.',
  'refusal.passcode.perAddress':
    'An diese Adresse wurden zu viele Codes gesendet. Versuchen Sie es in einer Stunde erneut.',
  'refusal.passcode.perNetwork':
    'Aus Ihrem Netzwerk wurden zu viele Codes angefordert. Versuchen Sie es in einer Stunde erneut.',
  'refusal.personal.displayName':
    'Der Anzeigename muss 1 bis {displayNameMaxLength} Zeichen lang sein, ohne Steuerzeichen.',
  'refusal.personal.exists': 'Ein persönliches Konto mit der Adresse "{email}" gibt es bereits.',
  'refusal.personal.notFound': 'Kein persönliches Konto hat die ID "{id}".',
  'refusal.personal.passwordHash': 'passwordHash muss ein argon2-Hash aus hashPassword sein.',
  'refusal.query.acceptancesFilter': '$filter und $count werden für Zustimmungen nicht unterstützt.',
  'refusal.query.agreementsFilter': '$filter wird für Vereinbarungen nicht unterstützt.',
  'refusal.query.auditsOptions': '$filter, $select und $count werden für directoryAudits noch nicht unterstützt.',
  'refusal.query.countBoolean': '$count muss true oder false sein.',
  'refusal.query.countInvitations': '$count wird für Einladungen nicht unterstützt.',
  'refusal.query.countSignIns': '$count wird für signIns nicht unterstützt.',
  'refusal.query.domainsFilter': '$filter wird für Domänen nicht unterstützt.',
  'refusal.query.optionUnknown': 'Die Abfrageoption "{key}" wird nicht unterstützt.',
  'refusal.query.optionUnsupported': 'Die Abfrageoption "{unsupported}" wird für diese Ressource nicht unterstützt.',
  'refusal.query.outboxFilter':
    '$filter und $count werden für den Postausgang nicht unterstützt; verwenden Sie ?state=pending|sending|sent|dead.',
  'refusal.query.pageSize': 'Ungültige Seitengröße: "{rawTop}". Sie muss zwischen 1 und {maxTop} liegen.',
  'refusal.query.partnersFilter': '$filter wird für mandantenübergreifende Partner nicht unterstützt.',
  'refusal.query.providersFilter': '$filter wird für Identitätsanbieter nicht unterstützt.',
  'refusal.query.selectEmpty': '$select nennt keine Eigenschaft.',
  'refusal.query.selectUnknown': 'Diese Ressource hat keine Eigenschaft namens "{name}".',
  'refusal.query.skiptoken': 'Das $skiptoken ist ungültig; beginnen Sie wieder bei der ersten Seite.',
  'refusal.resource.notFound':
    'Die Ressource "{id}" gibt es nicht, oder eines ihrer abgefragten Verweisobjekte ist nicht vorhanden.',
  'refusal.resource.notFoundShort': 'Die Ressource "{id}" gibt es nicht.',
  'refusal.settings.notKeyValue': '"{assignment}" hat nicht die Form Schlüssel=Wert.',
  'refusal.settings.unknown': 'Unbekannte Einstellung "{key}". Bekannt sind: {keys}.',
  'refusal.sponsor.exists': 'Mindestens einer der hinzugefügten Verweise ist in "sponsors" bereits vorhanden.',
  'refusal.sponsor.notSponsor': '"{sponsorId}" ist kein Sponsor von "{userId}".',
  'refusal.sponsor.notUser':
    'Der Sponsor "{raw}" ist kein Benutzer dieses Mandanten (Sponsoren sind in Portico Benutzer).',
  'refusal.sponsor.self': 'Ein Benutzer kann nicht sein eigener Sponsor sein.',
  'refusal.sponsor.tooMany': 'Ein Benutzer kann höchstens {maxSponsors} Sponsoren haben.',
  'refusal.tenant.adminDomain':
    'Die Adresse der Administration muss in der Domäne des Mandanten liegen ({domain}); geben Sie --domain {adminDomain} an, um für diese Domäne zu bürgen.',
  'refusal.tenant.createdMeanwhile':
    'Ein Mandant mit diesem Namen oder dieser Domäne wurde gleichzeitig angelegt; versuchen Sie es erneut.',
  'refusal.tenant.domainTaken': 'Die Domäne "{extra}" gehört bereits einem anderen Mandanten.',
  'refusal.tenant.name': 'Der Name des Mandanten muss 1 bis 256 Zeichen lang sein.',
  'refusal.tenant.noMatch': 'Kein Mandant passt zu "{idOrDomain}".',
  'refusal.tenant.notFound': 'Den Mandanten "{tenantId}" gibt es nicht.',
  'refusal.terms.contentType': 'Der Inhaltstyp "{contentType}" wird nicht unterstützt (PDF, Nur-Text oder Markdown).',
  'refusal.terms.displayName': 'displayName muss 1 bis 256 Zeichen lang sein.',
  'refusal.terms.fileEmpty': '"{fileName}" ist leer.',
  'refusal.terms.fileExtension':
    '"{fileName}" hat eine nicht unterstützte Endung: Laden Sie eine .pdf-, .txt- oder .md-Datei hoch.',
  'refusal.terms.fileName':
    '"{fileName}" ist kein gültiger Dateiname (1 bis 255 Zeichen, ohne Schrägstriche und Steuerzeichen).',
  'refusal.terms.filesOnce':
    'Geben Sie die Dateien der Vereinbarung einmal an, als file.localizations (oder als ältere files-Liste).',
  'refusal.terms.fileTooLarge': '"{path}" ist größer als {mb} MB.',
  'refusal.terms.frequencyFormat':
    'userReacceptRequiredFrequency "{value}" wird nicht unterstützt: Geben Sie eine ganze Zahl von Tagen oder Wochen als ISO-8601-Dauer an, etwa P90D oder P2W (oder null für einmal je Version).',
  'refusal.terms.frequencyRange': 'userReacceptRequiredFrequency muss zwischen P1D und P{maxReacceptDays}D liegen.',
  'refusal.terms.language': '"{language}" ist kein gültiges Sprachkennzeichen (BCP 47, etwa en-US oder de).',
  'refusal.terms.languageTwice': 'Die Sprache "{language}" kommt mehrfach vor; geben Sie eine Datei je Sprache an.',
  'refusal.terms.noFiles': 'Eine Vereinbarung braucht mindestens eine Datei (file.localizations ist leer).',
  'refusal.terms.notBase64': 'Die Daten von "{fileName}" sind kein gültiges Base64.',
  'refusal.terms.notPdf': '"{fileName}" ist keine PDF-Datei (sie beginnt nicht mit %PDF-).',
  'refusal.terms.notUtf8':
    '"{fileName}" ist kein gültiger UTF-8-Text; speichern Sie die Datei als UTF-8, oder laden Sie ein PDF hoch.',
  'refusal.terms.oneDefault': 'Genau eine Lokalisierung muss isDefault true haben (gefunden: {defaults}).',
  'refusal.terms.reacceptDays':
    'Der Zeitraum für die erneute Zustimmung muss eine ganze Zahl von Tagen zwischen 1 und {maxReacceptDays} sein.',
  'refusal.terms.tooManyFiles': 'Eine Version einer Vereinbarung kann höchstens {maxTermsFiles} Lokalisierungen haben.',
  'refusal.terms.versionChanged':
    '"{displayName}" hat sich geändert (Version {version}); lesen Sie die aktuelle Version, und antworten Sie erneut.',
  'refusal.token.audience': 'Das Zugriffstoken ist ungültig: falsche Zielgruppe.',
  'refusal.token.empty': 'Das Zugriffstoken ist leer.',
  'refusal.token.invalid':
    'Das Zugriffstoken ist ungültig: Signatur, Zielgruppe, Aussteller oder Gültigkeit stimmen nicht.',
  'refusal.token.issuerUnknown': 'Das Zugriffstoken ist ungültig: Der Aussteller ist kein Mandant dieser Installation.',
  'refusal.token.otherTenant':
    'Das Zugriffstoken wurde von einem anderen Mandanten ausgestellt als dem, an den sich diese Anforderung richtet.',
  'refusal.token.tenantMismatch': 'Das Zugriffstoken ist ungültig: Der Mandanten-Claim passt nicht zum Aussteller.',
  'refusal.token.userGone': 'Den angemeldeten Benutzer gibt es nicht mehr, oder er ist deaktiviert.',
  'refusal.user.guestUpn': 'Der userPrincipalName eines Gasts wird durch seine Einladung festgelegt.',
  'refusal.user.mailTaken': 'Ein anderer Benutzer dieses Mandanten hat bereits die Adresse "{email}".',
  'refusal.user.notInTenant': 'Den Benutzer "{userId}" gibt es in diesem Mandanten nicht.',
  'refusal.user.upnDomain':
    'Die Domäne des userPrincipalName "{upn}" ist keine überprüfte Domäne dieses Mandanten ({domains}).',
  'refusal.user.upnInvalid':
    '"{userPrincipalName}" ist kein gültiger userPrincipalName in einer überprüften Domäne dieses Mandanten.',
  'refusal.user.upnOrMailTaken':
    'Ein anderes Objekt mit demselben Wert für userPrincipalName oder mail ist bereits vorhanden.',
  'refusal.user.upnTaken':
    'Ein anderes Objekt mit demselben Wert für userPrincipalName oder mail ("{upn}") ist bereits vorhanden.',
  'refusal.exposure.uriTooLong': '„{uri}“ ist kein gültiger Bezeichner-URI: höchstens {max} Zeichen.',
  'refusal.exposure.uriNotAbsolute': '„{uri}“ ist kein gültiger Bezeichner-URI: kein absoluter URI.',
  'refusal.exposure.uriScheme': '„{uri}“ ist kein gültiger Bezeichner-URI: verwenden Sie api://… oder https://….',
  'refusal.exposure.uriParts':
    '„{uri}“ ist kein gültiger Bezeichner-URI: geben Sie einen Host an, ohne Anmeldedaten, Abfrage, Fragment oder Platzhalter.',
  'refusal.exposure.uriTrailingSlash': '„{uri}“ ist kein gültiger Bezeichner-URI: ohne abschließenden Schrägstrich.',
  'refusal.exposure.uriNotVerified':
    '„{uri}“ ist kein gültiger Bezeichner-URI: https-Bezeichner-URIs müssen auf einer bestätigten Domäne des Mandanten liegen, und {host} ist keine.',
  'refusal.exposure.tooManyUris': 'Eine App darf höchstens {max} Bezeichner-URIs haben.',
  'refusal.exposure.uriTwice': 'Der Bezeichner-URI „{uri}“ ist doppelt aufgeführt.',
  'refusal.exposure.tooManyPermissions':
    'Eine App darf höchstens {max} Bereiche und ebenso viele App-Rollen festlegen.',
  'refusal.exposure.badId': '„{id}“ ist keine ID: geben Sie eine GUID an.',
  'refusal.exposure.badValue': '„{value}“ ist kein Berechtigungswert (keine Leerzeichen, kein führender Punkt).',
  'refusal.exposure.valueTwice': 'Der Wert „{value}“ wird zweimal verwendet.',
  'refusal.exposure.idTwice': 'Die ID {id} wird von zwei Bereichen oder Rollen verwendet.',
  'refusal.exposure.scopeNeedsName': 'Der Bereich „{value}“ braucht einen adminConsentDisplayName.',
  'refusal.exposure.roleNeedsName': 'Die App-Rolle „{value}“ braucht einen displayName.',
  'refusal.exposure.roleNeedsTypes':
    'Die App-Rolle „{value}“ braucht allowedMemberTypes: User, Application oder beide.',
  'refusal.exposure.stillEnabled':
    '„{value}“ ist aktiviert: setzen Sie zuerst isEnabled auf false, dann entfernen oder ändern Sie den Wert in einer späteren Änderung.',
  'refusal.exposure.tooManyResources': 'Eine App darf höchstens {max} Ressourcen nennen.',
  'refusal.exposure.resourceTwice': 'Die Ressource {resource} ist doppelt aufgeführt.',
  'refusal.exposure.noSuchApi': 'Keine App mit der appId „{appId}“ stellt in diesem Mandanten eine API bereit.',
  'refusal.exposure.noSuchScope': 'Die Ressource {resource} hat keinen delegierten Bereich mit der ID „{id}“.',
  'refusal.exposure.noSuchRole':
    'Die Ressource {resource} hat keine Anwendungsberechtigung (App-Rolle für Anwendungen) mit der ID „{id}“.',
  'refusal.exposure.permissionTwice': 'Eine Berechtigung von {resource} ist doppelt aufgeführt.',
  'refusal.exposure.uriTaken':
    'Der Bezeichner-URI „{uri}“ wird in diesem Mandanten bereits von einer anderen App verwendet.',
  // dup17
  'refusal.bulk.sendNotBoolean': '„{value}“ ist in der Spalte „send“ weder true noch false',
  // consent18
  'refusal.permissionGrants.filter': "Hier wird nur $filter=clientId eq '<id>' oder principalId eq '<id>' unterstützt.",
  // deleted19
  'refusal.deleted.restoreConflict':
    'Der Benutzer kann nicht wiederhergestellt werden: Ein anderer Benutzer hat jetzt seinen userPrincipalName {upn} oder seine E-Mail-Adresse {mail}. Ändern oder löschen Sie diesen Benutzer endgültig zuerst.',
  'refusal.deleted.unknownType':
    'Gelöschte Elemente werden nach Typ aufgelistet: microsoft.graph.user, microsoft.graph.group oder microsoft.graph.application (oder der Alias graph.); „{type}“ ist keiner davon.',
  'refusal.leave.home':
    'Sie sind Mitglied von {tenant}, kein Gast: Ein Mitglied kann seine eigene Organisation nicht verlassen.',
  'refusal.leave.forbidden':
    '{tenant} erlaubt Gästen nicht, die Organisation selbst zu verlassen. Bitten Sie die Administration, Ihr Konto zu entfernen.',
  // api18
  'refusal.me.delegatedOnly':
    'Eine /me-Anfrage ist nur mit delegierter Authentifizierung (dem Token eines angemeldeten Benutzers) gültig.',
  // roles19
  'refusal.role.unknown': "Keine integrierte Verzeichnisrolle hat die ID '{id}'.",
  'refusal.role.principalUnknown': "Der Prinzipal '{id}' ist kein Benutzer dieses Mandanten.",
  'refusal.role.alreadyAssigned': '{user} hat die Rolle {role} bereits.',
  'refusal.role.lastGlobalAdmin':
    '{user} ist der letzte aktivierte globale Administrator dieses Mandanten: Machen Sie zuerst einen anderen Benutzer zum globalen Administrator.',
  'refusal.role.scope': "Nur der Verzeichnisbereich '/' wird unterstützt, nicht '{scope}'.",
  'refusal.role.filter':
    "Filtern Sie Rollenzuweisungen mit principalId eq '…' und/oder roleDefinitionId eq '…', verbunden mit and.",
  'refusal.role.resetGuest':
    '{user} ist ein Gast: Ein Gast meldet sich bei der eigenen Organisation an, nicht mit einem Kennwort hier.',
  // policy19
  'refusal.invitation.policyNone':
    '{tenant} erlaubt niemandem, Gäste einzuladen, auch Administratoren nicht (Einstellungen für Gasteinladungen: allowInvitesFrom „{rule}“).',
  'refusal.invitation.policyAdmins':
    'Nur Administratoren und Gasteinladende dürfen Gäste zu {tenant} einladen (Einstellungen für Gasteinladungen: allowInvitesFrom „{rule}“); {user} ist keins von beiden.',
  'refusal.invitation.policyMembers':
    'Nur Administratoren, Gasteinladende und Mitglieder dürfen Gäste zu {tenant} einladen (Einstellungen für Gasteinladungen: allowInvitesFrom „{rule}“); {user} ist ein Gast.',
  'refusal.invitation.domainDenied':
    '{tenant} erlaubt keine Einladungen an {domain}: die Einschränkungen für die Zusammenarbeit sperren „{rule}“.',
  'refusal.invitation.domainNotAllowed':
    '{tenant} erlaubt Einladungen nur an die Domänen seiner Positivliste für die Zusammenarbeit ({allowed}), und {domain} gehört nicht dazu.',
  'refusal.policy.invalid': 'Die Richtlinie ist ungültig: {detail}',
  'refusal.policy.allowNeedsDomains':
    'Eine Positivliste braucht mindestens eine Domäne: ohne eine könnte niemand eingeladen werden.',
  'refusal.policy.unsupported': '„{property}“ kann in Portico nicht geändert werden: nur {supported}.',
  'refusal.myapps.redirectNotRegistered':
    '„{url}“ ist keine Adresse der Apps dieser Organisation: wählen Sie eine ihrer Apps oder „Meine Apps“.',
  'refusal.apps.noSuchAppRole':
    'Die App hat keine aktivierte App-Rolle mit der ID „{id}“, die Benutzern und Gruppen zugewiesen werden kann.',
  'refusal.appRoles.principalId': 'principalId muss die ID des Benutzers oder der Gruppe in der URL sein ({id}).',
  // sec
  'refusal.role.privilegedTarget':
    '{user} hat eine Administratorrolle, die nur ein globaler Administrator verwalten darf.',
  'refusal.auth.resetRedemption':
    'Zum Zurücksetzen einer Einlösung ist eine dieser Berechtigungen nötig: {writeUsers}.',
  // gov-signins
  'refusal.role.privilegedTargetApp':
    '{user} hat eine Administratorrolle: Eine Anwendung ändert einen solchen Benutzer nur mit der Berechtigung {permission} zusätzlich zu ihrer Benutzerberechtigung.',
  'refusal.role.beyondYourRole':
    '{user} hat eine Administratorrolle, die Ihre eigene Rolle nicht verwaltet: Wenden Sie sich an einen Benutzeradministrator oder globalen Administrator.',
  'refusal.query.orderbyUnsupported':
    '$orderby „{orderBy}“ wird für diese Ressource nicht unterstützt: Sortieren Sie nach einer dieser Eigenschaften, mit asc oder desc: {orderable}.',
  // gov-deleted
  'refusal.deleted.cliTarget':
    'Geben Sie das gelöschte Element an: --user <ID oder UPN> für einen Benutzer oder --id <Objekt-ID> mit --type.',
  'refusal.deleted.cliNotFound':
    "Kein gelöschtes Element vom Typ {type} dieses Mandanten hat die ID oder den Namen '{ref}'.",
  // mfa-passkey
  'refusal.passkey.notVerified':
    'Der Passkey konnte nicht geprüft werden: Versuchen Sie es erneut oder verwenden Sie eine andere Methode.',
  'refusal.passkey.challenge':
    'Diese Passkey-Anfrage ist abgelaufen oder wurde bereits verwendet: Beginnen Sie von vorn.',
  'refusal.passkey.notAllowed':
    'Ihre Organisation erlaubt Ihnen keine Passkeys oder Sicherheitsschlüssel: Verwenden Sie eine andere Methode.',
  // mfa-policy
  'refusal.conditionalAccess.noUsers':
    'Eine Richtlinie für bedingten Zugriff muss jemanden einschließen: includeUsers, includeGroups, includeRoles oder includeGuestsOrExternalUsers.',
  'refusal.conditionalAccess.blockAlone':
    "Die Gewährungssteuerung 'block' kann nicht mit einer anderen kombiniert werden.",
  'refusal.conditionalAccess.keywordAlone': "'{keywords}' kann nicht zusammen mit anderen Werten angegeben werden.",
  'refusal.query.conditionalAccessFilter': '$filter wird bei Richtlinien für bedingten Zugriff nicht unterstützt.',
  'refusal.authMethods.unknownGroup':
    "'{id}' ist keine Gruppe dieses Mandanten: Einschlussziele sind 'all_users' oder Gruppen-IDs.",
  'refusal.authMethods.unknownMethod':
    "'{id}' ist keine Authentifizierungsmethode, die Portico kennt: Fido2, SoftwareOath oder Email.",
  'refusal.authMethods.twice': 'Jede Konfiguration einer Authentifizierungsmethode darf nur einmal vorkommen.',
  // ux-lists
  'refusal.terms.targetNoGroups':
    'Nutzungsbedingungen für ausgewählte Gruppen brauchen mindestens eine Gruppe in groupIds.',
  'refusal.terms.targetTooManyGroups': 'Nutzungsbedingungen können für höchstens {maxTargetGroups} Gruppen gelten.',
  'refusal.terms.targetUnknownGroup': '{id} ist keine Gruppe dieser Organisation.',
  'refusal.cli.keysNewKeyEnv':
    'PORTICO_SECRET_KEY enthält den Bereitstellungsschlüssel: Legen Sie einen neuen Schlüssel in eine andere Umgebungsvariable und nennen Sie sie mit --new-key-env <VAR> (erzeugen mit `openssl rand 32 | basenc --base64url | tr -d =`), oder führen Sie den neuen Schlüssel in PORTICO_SECRET_KEY zuerst auf.',
  'refusal.cli.keysNewKeyInvalid':
    '{name} muss genau einen neuen Schlüssel enthalten: 32 Zufallsbytes in base64url (43 Zeichen).',
  'refusal.cli.keysNewKeyHeld':
    '{name} enthält einen Schlüssel, den diese Bereitstellung schon hat: Eine Rotation braucht einen neuen.',
  'refusal.invitation.tooManyGrants':
    'Eine Einladung kann den Benutzer höchstens {max} Gruppen und {max} Apps hinzufügen.',
  'refusal.cli.profilesUnreadable':
    'Die Profildatei der CLI {path} ist kein gültiges JSON: Korrigieren oder entfernen Sie sie und melden Sie sich erneut an.',
  'refusal.cli.noProfile':
    'Es gibt kein Profil „{name}“: Melden Sie sich mit `portico login <url> --profile {name}` an, oder verwenden Sie --profile local für den Speicher hier.',
  'refusal.cli.noTenant':
    'Welcher Mandant? Geben Sie --tenant <id-oder-domäne> an, oder legen Sie mit `portico config set tenant <id-oder-domäne>` einen Standard fest.',
  'refusal.cli.remoteUnsupported':
    '`{command}` funktioniert nur mit dem Speicher neben dem Server, und das Profil {profile} ist entfernt: Führen Sie den Befehl dort mit --profile local (oder PORTICO_PROFILE=local) aus.',
  'refusal.cli.remoteOption':
    '{option} funktioniert nur mit dem Speicher neben dem Server, und das Profil {profile} ist entfernt: Führen Sie den Befehl dort mit --profile local aus.',
  'refusal.cli.otherTenant':
    'Das Profil {profile} verwaltet den Mandanten {tenantId}, nicht „{ref}“: Melden Sie sich mit einem anderen Profil bei diesem Mandanten an.',
  'refusal.cli.remoteTenantFixed':
    'Der Mandant des Profils {profile} ist der seiner App ({tenantId}): Um einen anderen Mandanten zu verwalten, melden Sie sich mit einem anderen Profil an.',
  'refusal.cli.localProfileName':
    '„local“ bezeichnet den Speicher neben diesem Prozess: Geben Sie dem Profil einen anderen Namen.',
  'refusal.cli.unknownConfigKey': '„{key}“ ist keine Einstellung der CLI: Die einzige ist tenant.',
  'refusal.cli.assignment':
    '„{assignment}“ ist nicht Schlüssel=Wert: zum Beispiel --set displayName=Ann oder --set accountEnabled=false.',
  'refusal.cli.csvOnly': 'Geben Sie --csv an: Der Export schreibt CSV.',
  'refusal.cli.resetNeedsEmail':
    '{user} hat keine E-Mail-Adresse: Geben Sie mit --email an, wohin die neue Einladung geht.',
  'refusal.cli.loginUrl':
    '„{url}“ ist keine Adresse einer Installation: Geben Sie ihre öffentliche https://- (oder http://-)Adresse an.',
};
