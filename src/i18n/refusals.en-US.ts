// Refusals: what a domain error (src/errors.ts) says, by its message key. The API sends the en-US text as Graph's
// error message, so these texts are part of the API: change one only as deliberately as a response shape. Pages and
// the CLI show the reader's language (refusals.de-DE.ts). Keys are `refusal.<area>.<what>`; one key per distinct text.
export const refusalsEnUS = {
  'refusal.body.invalid': '{detail}',
  'refusal.settings.invalid': '{detail}',
  'refusal.domain.txtMismatch':
    'The TXT record at {name} does not match: publish "{expected}" (the {prefix} record found there is not this tenant\'s), then verify again.',
  'refusal.domain.txtMissing':
    'Domain verification failed: no TXT record "{expected}" was found at {name}. Publish it at your DNS host, allow time for it to propagate, then verify again.',
  'refusal.crosstenant.outboundBlocked':
    "The cross-tenant access settings of {email}'s home organization do not allow its users to collaborate with this organization (B2B collaboration outbound is blocked).",
  'refusal.crosstenant.inboundBlocked':
    "This organization's cross-tenant access settings do not allow users of {email}'s organization in as guests (B2B collaboration inbound is blocked).",
  'refusal.invitation.optedOutTenant':
    '{email} has asked not to receive invitations from this organization, so Portico did not invite them. Only they can undo this, at {url} or through the link in an invitation email.',
  'refusal.invitation.optedOutDeployment':
    '{email} has asked not to receive invitations from any organization on this deployment, so Portico did not invite them. Only they can undo this, at {url} or through the link in an invitation email.',
  'refusal.password.tooShort': 'The password must be at least {min} characters long.',
  'refusal.password.tooLong': 'The password must be at most {max} characters long.',
  'refusal.password.sameAsEmail': 'The password must not be the same as the email address.',
  'refusal.bulk.notUtf8':
    'line {line} is not valid UTF-8; save the file as UTF-8 (in Excel: "CSV UTF-8 (Comma delimited)") and try again',
  'refusal.bulk.nul':
    'line {line} contains a NUL character (U+0000), which text never holds; save the file as UTF-8 text and try again',
  'refusal.bulk.noEmail':
    'the CSV has no email column (expected a heading like "Email address to invite [inviteeEmail] Required" or "email"); headings seen: {headings}',
  'refusal.bulk.unreadable': '{detail}',
  'refusal.bulk.noHeading': 'the CSV has no heading row',
  'refusal.bulk.tooLarge': 'The file is larger than {size} MiB.',
  'refusal.bulk.noRows': 'The file has no rows to invite.',
  'refusal.bulk.tooManyRows': 'The file has {rows} rows; at most {max} are allowed.',
  'refusal.address.invalid': "'{value}' is not a valid email address for {what}: {reason}",
  'refusal.apps.adminConsentStray': 'Admin consent can only be required for permissions the app asks for: {stray}.',
  'refusal.apps.alreadyAssigned': 'Permission being assigned already exists on the object.',
  'refusal.apps.clientCredentialsConfidential': 'Client credentials need a confidential app.',
  'refusal.apps.defaultRoleOnly': 'Portico apps have only the default role: appRoleId must be {defaultAppRole}.',
  'refusal.apps.displayNameEmpty': 'displayName must not be empty.',
  'refusal.apps.displayNameLong': 'displayName must be at most {max} characters.',
  'refusal.apps.secretEnd': 'endDateTime must be a date and time in the future: {value} is not.',
  'refusal.apps.secretKeyId': 'keyId is required: the keyId of the secret to remove, as passwordCredentials lists it.',
  'refusal.apps.secretNotFound': 'No password credential with keyId {keyId} on this application.',
  'refusal.apps.managementApp':
    "The tenant's management app cannot be deleted: it is how the tenant is administered through the API.",
  'refusal.apps.managementSingleTenant': "The tenant's management app is the tenant's own: it cannot be multi-tenant.",
  'refusal.apps.signInAudience': 'signInAudience must be one of {values}.',
  'refusal.servicePrincipals.exists': "This tenant already has a service principal for the application '{appId}'.",
  'refusal.servicePrincipals.filter':
    "servicePrincipals can be filtered only by appId: $filter=appId eq '<client id>'.",
  'refusal.servicePrincipals.notMultiTenant':
    "The application '{appId}' is not a multi-tenant application: its signInAudience is {audience}.",
  'refusal.servicePrincipals.ownApp':
    "The application '{appId}' is registered in this tenant: it is managed as an application.",
  'refusal.apps.noRedirectUri': 'An app that signs users in needs at least one redirect URI.',
  'refusal.apps.publicClientWithSecret':
    'isFallbackPublicClient cannot be turned on for an app with a client secret: its sign-ins would no longer need the secret. Register a separate app without a secret (isFallbackPublicClient: true) for the device code flow.',
  'refusal.apps.notAssigned': "'{principalId}' is not assigned to application '{id}'.",
  'refusal.apps.permissionName': 'Not a permission name: {names} (expected a name like User.Read).',
  'refusal.apps.permissionTwice': 'A delegated permission is listed twice.',
  'refusal.apps.redirectUri':
    "'{uri}' is not an allowed redirect URI (https, or http on localhost; no fragment or credentials).",
  'refusal.apps.redirectUriLong': 'A redirect URI may be at most {max} characters.',
  'refusal.apps.resourceId': "resourceId must be this application's id ({id}).",
  'refusal.apps.signInMethodsEmpty': 'Give at least one sign-in method (pwd, otp, fed), or null to accept any.',
  'refusal.apps.signInMethodTwice': 'A sign-in method is listed twice.',
  'refusal.apps.tooManyPermissions': 'An app may ask for at most {max} permissions.',
  'refusal.apps.tooManyRedirectUris': 'An app may have at most {max} redirect URIs.',
  'refusal.apps.unknownPermission': 'Unknown application permission(s): {unknown}.',
  'refusal.apps.unknownSignInMethod': 'Unknown sign-in method(s): {methods}; use {known}.',
  'refusal.apps.urlNotAllowed':
    "{name} '{uri}' is not allowed: give an https URL (http on localhost) without credentials.",
  'refusal.auth.insufficientPrivileges': 'Insufficient privileges to complete the operation. Requires one of: {anyOf}.',
  'refusal.auth.inviteMember': 'Inviting a Member needs one of: {writeUsers}.',
  'refusal.body.notJson': 'The request body must be JSON with Content-Type: application/json.',
  'refusal.body.notObject': 'The request body must be a JSON object.',
  'refusal.body.odataIdUser': "'@odata.id' must reference a user, like {example}.",
  'refusal.body.odataIdObject': "'@odata.id' must reference a directory object, like {example}.",
  'refusal.body.tooLargeKb': 'The request body is larger than {size} KB.',
  'refusal.body.tooLargeMb': 'The request body is larger than {size} MB.',
  'refusal.cli.allowOrAny': 'Give --allow <method> (one or more of pwd, otp, fed) or --any.',
  'refusal.cli.crossTenantNothing': 'Nothing to set: give --inbound, --outbound, --auto-inbound or --auto-outbound.',
  'refusal.cli.emailOrCsv': 'Give either one email address or --csv <file>.',
  'refusal.cli.metadataFileOrUrl': 'Give --metadata-file or --metadata-url, not both.',
  'refusal.cli.partnerGuid': "--partner must be the partner's tenant id (a GUID), not '{value}'.",
  'refusal.cli.permission':
    "--permission '{spec}' is not valid: give a name like User.Read, or User.Read:admin when it needs admin consent.",
  'refusal.cli.providerNotFound': "{displayName} has no identity provider '{id}'.",
  'refusal.cli.providerSource':
    'Give the identity provider as --metadata-file <path>, --metadata-url <url>, or --issuer <uri> with --sign-in-url <url> and --certificate-file <pem>.',
  'refusal.cli.reacceptDays': "--reaccept-days must be a whole number of days (got '{value}').",
  'refusal.cli.resendAddress': "--resend needs the guest's address (or user id).",
  'refusal.cli.secretVariable':
    'The environment variable {variable} is not set or is empty: put the client secret in it.',
  'refusal.cli.termsFileType': "'{path}' is not a .pdf, .txt or .md file.",
  'refusal.cli.unreadable': "Cannot read '{path}'.",
  'refusal.cli.unreadableFile': "Cannot read the {what} '{path}'.",
  'refusal.cli.userNotFound': "No user of this tenant has the id, userPrincipalName or mail '{ref}'.",
  'refusal.cli.userOrGroup': 'Give exactly one of --user <upn|mail|id> or --group <id>.',
  'refusal.crosstenant.applicationTargets':
    "applications targets must have targetType 'application' (an application's client id or '{allApplications}').",
  'refusal.crosstenant.autoConsentDefault':
    'automaticUserConsentSettings cannot be turned on in the default configuration: set it for each partner.',
  'refusal.crosstenant.ownPartner': 'A tenant cannot be its own partner.',
  'refusal.crosstenant.partnerExists':
    "Cross-tenant access settings for partner '{partner}' already exist: update them instead.",
  'refusal.crosstenant.partnerGuid': "The partner tenant id '{partnerTenantId}' is not a GUID.",
  'refusal.crosstenant.partnerNotFound': "There are no cross-tenant access settings for partner '{id}'.",
  'refusal.crosstenant.userTargets':
    "usersAndGroups targets must have targetType 'user' or 'group' ('{allUsers}' with targetType 'user').",
  'refusal.domain.dnsFailed': 'The DNS lookup of {name} failed ({code}); try again in a moment.',
  'refusal.domain.exists': 'The domain {name} is already a domain of this tenant.',
  'refusal.domain.initialRemove': "{name} is this tenant's initial domain and cannot be removed.",
  'refusal.domain.initialSuffix':
    "Names under {suffix} are the initial domains of this Portico's tenants and cannot be added.",
  'refusal.domain.initialVerified': "{name} is this tenant's initial domain: it is always verified.",
  'refusal.domain.inUse':
    '{n} user(s) of this tenant sign in with a name in {name}: change their userPrincipalName first, then remove the domain.',
  'refusal.domain.invalid': "'{input}' is not a valid domain name.",
  'refusal.domain.tooMany': 'A tenant can have at most {maxDomains} domains.',
  'refusal.domain.verifiedElsewhere':
    'The domain {name} is verified by another organization on this Portico; it must be removed there before it can be verified here.',
  'refusal.edge.badForm': "The form body could not be read: {why}. Send it again as the page's form sends it.",
  'refusal.edge.badJson':
    'Unable to read JSON request payload: {why}. Please ensure Content-Type header is set and payload is of valid JSON format.',
  'refusal.edge.controlCharacter':
    'The {what} contains a control character (U+0000 to U+001F or U+007F), which Portico does not accept. Remove it and send the request again.',
  'refusal.edge.tooLarge':
    'The request body is larger than {limit}, the most this address accepts. Send a smaller body.',
  'refusal.edge.truncated': 'The request body ended before it was complete.',
  'refusal.federation.certificateInvalid':
    'The signing certificate is not a valid X.509 certificate (base64 DER or PEM).',
  'refusal.federation.certificateKey': 'The signing certificate has a {type} key; RSA or EC keys are required.',
  'refusal.federation.certificateRequired': 'A signing certificate is required: Portico accepts signed responses only.',
  'refusal.federation.clientId': 'clientId is required.',
  'refusal.federation.clientSecret': 'clientSecret is required.',
  'refusal.federation.domainNotOfProvider': "'{domain}' is not a domain of '{displayName}'.",
  'refusal.federation.domainRaced':
    'One of the domains {domains} was just mapped to another identity provider of this tenant.',
  'refusal.federation.domainServed':
    "The domain {domain} is already served by the identity provider '{displayName}' ({id}); a domain maps to one identity provider per tenant.",
  'refusal.federation.domainTaken': "The domain {domain} is already a domain of '{displayName}'.",
  'refusal.federation.domainVerified':
    '{verified} is a verified domain of an organization on this Portico: its addresses sign in there, so it cannot be mapped to an identity provider.',
  'refusal.federation.externalDomainMismatch':
    "An externalDomainName's id and name must be the same domain ('{id}' and '{name}').",
  'refusal.federation.externalDomainName': 'An externalDomainName needs its name (or id).',
  'refusal.federation.googleDomains': 'Google serves gmail.com and googlemail.com only; its domains cannot be changed.',
  'refusal.federation.httpsUrl': '{name} must be an https URL.',
  'refusal.federation.issuerUri': "issuerUri is required (the identity provider's entity id).",
  'refusal.federation.metadataUnreadable': 'The metadata could not be read from {url}: {message}.',
  'refusal.federation.metadataUnusable': 'The metadata is not usable SAML 2.0 identity provider metadata: {why}.',
  'refusal.federation.metadataUrl': 'metadataExchangeUri must be an https URL.',
  'refusal.federation.noDomains':
    'At least one domain is required: the provider signs in the addresses of its domains.',
  'refusal.federation.odataTypeMismatch': '@odata.type does not match: this identity provider is a {type}.',
  'refusal.federation.odataTypeRequired': '@odata.type is required: {socialType} (Google) or {oidcType}.',
  'refusal.federation.odataTypeUnsupported':
    "@odata.type '{type}' is not supported: use {socialType} (Google) or {oidcType}.",
  'refusal.federation.protocolFixed':
    'preferredAuthenticationProtocol cannot be changed: create a federation configuration for the other protocol and delete this one.',
  'refusal.federation.providerNotFound': "Identity provider '{id}' does not exist.",
  'refusal.federation.providerType':
    "identityProviderType '{identityProviderType}' is not supported: Portico supports Google only as a social identity provider.",
  'refusal.federation.scopeOpenid': "scope must include 'openid'.",
  'refusal.filter.badLiteral': "Invalid filter clause: '{literal}' is not a valid value.",
  'refusal.filter.empty': 'Invalid filter clause: the expression is empty.',
  'refusal.filter.endsEarly': 'Invalid filter clause: the expression ends too early.',
  'refusal.filter.expected': "Invalid filter clause: expected '{expected}' but found '{found}'.",
  'refusal.filter.expectedString': "Invalid filter clause: expected a quoted string but found '{text}'.",
  'refusal.filter.inTooLong': 'Invalid filter clause: at most 50 values in an "in" list.',
  'refusal.filter.inUnsupported': "'in' is not supported on '{property}'; use eq.",
  'refusal.filter.invitations':
    "Invitations can be filtered by status, invitedUserEmailAddress and invitedUser/id with 'eq', joined by 'and'.",
  'refusal.filter.invitationsProperty': "Invitations cannot be filtered by '{property}'.",
  'refusal.filter.invitationStatus': 'status must be one of {invitationStatuses}.',
  'refusal.filter.notValue': "Invalid filter clause: '{text}' is not a value.",
  'refusal.filter.operator':
    "Invalid filter clause: unsupported operator '{text}' (supported: eq, ne, ge, le, in, startswith, and, or).",
  'refusal.filter.orderedNull': "'{property} {op} null' compares with nothing.",
  'refusal.filter.orderedType': "'{op}' is only supported on numbers and date-times, not on '{property}'.",
  'refusal.filter.property': "Filtering on property '{property}' is not supported.",
  'refusal.filter.startswithProperty': 'Invalid filter clause: startswith needs a property name first.',
  'refusal.filter.startswithText': 'startswith is only supported on text properties.',
  'refusal.filter.tooDeep':
    'Invalid filter clause: parentheses nest deeper than {maxFilterDepth} levels, the most $filter accepts. Simplify the expression.',
  'refusal.filter.tooManyTerms':
    "Invalid filter clause: more than {maxFilterTerms} conditions, the most $filter accepts. Use 'in' lists or split the query into several requests.",
  'refusal.filter.unclosedString': 'Invalid filter clause: a string literal is not closed.',
  'refusal.filter.unexpected': "Invalid filter clause: unexpected '{text}'.",
  'refusal.filter.unexpectedAt': "Invalid filter clause: unexpected '{ch}' at position {i}.",
  'refusal.filter.wantsBoolean': "'{property}' compares with true or false.",
  'refusal.filter.wantsDate': "'{property}' compares with an unquoted date-time such as 2026-01-31T00:00:00Z.",
  'refusal.filter.wantsInteger': "'{property}' compares with an integer.",
  'refusal.filter.wantsString': "'{property}' compares with a quoted string.",
  'refusal.group.memberExists':
    "One or more added object references already exist for the following modified properties: 'members'.",
  'refusal.group.notMember': "'{userId}' is not a member of group '{groupId}'.",
  'refusal.invitation.addressTaken': "Another object already uses the address '{email}' or its user principal name.",
  'refusal.invitation.ccLineBreak': 'A ccRecipients name cannot contain line breaks.',
  'refusal.invitation.ccOne': 'ccRecipients supports one recipient.',
  'refusal.invitation.member':
    "'{email}' is already a member of this tenant ({userPrincipalName}); members are not invited.",
  'refusal.invitation.nameLineBreak': 'invitedUserDisplayName cannot contain line breaks.',
  'refusal.invitation.noAddress': "'{userPrincipalName}' has no invited address.",
  'refusal.invitation.noGuest': "No guest of {displayName} was invited at '{emailOrId}'.",
  'refusal.invitation.notFound': "Invitation '{id}' does not exist.",
  'refusal.invitation.notPending': "'{userPrincipalName}' has no pending invitation to send again.",
  'refusal.invitation.redirectUrl': 'inviteRedirectUrl must be an absolute http(s) URL without credentials.',
  'refusal.invitation.resetNeedsUser': 'resetRedemption needs invitedUser.id: the user whose redemption is reset.',
  'refusal.invitation.resetNotInvited':
    "'{userPrincipalName}' was not invited: only invited users can have their redemption reset.",
  'refusal.passcode.cooldown':
    'A code was sent less than {resendCooldownSeconds} seconds ago. Wait a moment before asking for another.',
  'refusal.passcode.perAddress': 'Too many codes were sent to this address. Try again in an hour.',
  'refusal.passcode.perNetwork': 'Too many codes were requested from your network. Try again in an hour.',
  'refusal.personal.displayName':
    'The display name must be 1 to {displayNameMaxLength} characters, without control characters.',
  'refusal.personal.exists': "A personal account with the address '{email}' already exists.",
  'refusal.personal.notFound': "No personal account has the id '{id}'.",
  'refusal.personal.passwordHash': 'passwordHash must be an argon2 hash from hashPassword.',
  'refusal.query.acceptancesFilter': '$filter and $count are not supported on acceptances.',
  'refusal.query.agreementsFilter': '$filter is not supported on agreements.',
  'refusal.query.auditsOptions': '$filter, $select and $count are not supported on directoryAudits yet.',
  'refusal.query.countBoolean': '$count must be true or false.',
  'refusal.query.countInvitations': '$count is not supported on invitations.',
  'refusal.query.countSignIns': '$count is not supported on signIns.',
  'refusal.query.domainsFilter': '$filter is not supported on domains.',
  'refusal.query.optionUnknown': "Query option '{key}' is not supported.",
  'refusal.query.optionUnsupported': "Query option '{unsupported}' is not supported on this resource.",
  'refusal.query.outboxFilter':
    '$filter and $count are not supported on the outbox; use ?state=pending|sending|sent|dead.',
  'refusal.query.pageSize': "Invalid page size specified: '{rawTop}'. Must be between 1 and {maxTop} inclusive.",
  'refusal.query.partnersFilter': '$filter is not supported on cross-tenant access partners.',
  'refusal.query.providersFilter': '$filter is not supported on identity providers.',
  'refusal.query.selectEmpty': '$select names no property.',
  'refusal.query.selectUnknown': "Could not find a property named '{name}' on this resource.",
  'refusal.query.skiptoken': 'The $skiptoken is not valid; start again from the first page.',
  'refusal.resource.notFound':
    "Resource '{id}' does not exist or one of its queried reference-property objects are not present.",
  'refusal.resource.notFoundShort': "Resource '{id}' does not exist.",
  'refusal.settings.notKeyValue': "'{assignment}' is not key=value.",
  'refusal.settings.unknown': "Unknown setting '{key}'. Known: {keys}.",
  'refusal.sponsor.exists':
    "One or more added object references already exist for the following modified properties: 'sponsors'.",
  'refusal.sponsor.notSponsor': "'{sponsorId}' is not a sponsor of '{userId}'.",
  'refusal.sponsor.notUser': "Sponsor '{raw}' is not a user of this tenant (Portico's sponsors are users).",
  'refusal.sponsor.self': 'A user cannot be their own sponsor.',
  'refusal.sponsor.tooMany': 'A user can have at most {maxSponsors} sponsors.',
  'refusal.tenant.adminDomain':
    "The administrator's address must be in the tenant's domain ({domain}); pass --domain {adminDomain} to vouch for that domain.",
  'refusal.tenant.createdMeanwhile': 'A tenant with this name or domain was created at the same time; try again.',
  'refusal.tenant.domainTaken': "The domain '{extra}' already belongs to another tenant.",
  'refusal.tenant.name': 'The tenant name must be 1 to 256 characters.',
  'refusal.tenant.noMatch': "No tenant matches '{idOrDomain}'.",
  'refusal.tenant.notFound': "Tenant '{tenantId}' does not exist.",
  'refusal.terms.contentType': "Content type '{contentType}' is not supported (PDF, plain text or Markdown).",
  'refusal.terms.displayName': 'displayName must be 1 to 256 characters.',
  'refusal.terms.fileEmpty': "'{fileName}' is empty.",
  'refusal.terms.fileExtension': "'{fileName}' has an unsupported extension: upload a .pdf, .txt or .md file.",
  'refusal.terms.fileName':
    "'{fileName}' is not a valid file name (1 to 255 characters, no slashes or control characters).",
  'refusal.terms.filesOnce': "Give the agreement's files as file.localizations (or the older files list), once.",
  'refusal.terms.fileTooLarge': "'{path}' is larger than {mb} MB.",
  'refusal.terms.frequencyFormat':
    "userReacceptRequiredFrequency '{value}' is not supported: give a whole number of days or weeks as an ISO-8601 duration, like P90D or P2W (or null for once per version).",
  'refusal.terms.frequencyRange': 'userReacceptRequiredFrequency must be between P1D and P{maxReacceptDays}D.',
  'refusal.terms.language': "'{language}' is not a valid language tag (use BCP 47, like en-US or de).",
  'refusal.terms.languageTwice': "Language '{language}' appears more than once; give one file per language.",
  'refusal.terms.noFiles': 'An agreement needs at least one file (file.localizations is empty).',
  'refusal.terms.notBase64': "The data of '{fileName}' is not valid base64.",
  'refusal.terms.notPdf': "'{fileName}' is not a PDF file (it does not start with %PDF-).",
  'refusal.terms.notUtf8': "'{fileName}' is not valid UTF-8 text; save it as UTF-8 or upload a PDF.",
  'refusal.terms.oneDefault': 'Exactly one localization must have isDefault true (found {defaults}).',
  'refusal.terms.reacceptDays': 'The re-acceptance period must be a whole number of days from 1 to {maxReacceptDays}.',
  'refusal.terms.tooManyFiles': 'An agreement version can have at most {maxTermsFiles} localizations.',
  'refusal.terms.versionChanged':
    "'{displayName}' has changed (version {version}); read the current version and answer again.",
  'refusal.token.audience': 'Access token validation failure. Invalid audience.',
  'refusal.token.empty': 'Access token is empty.',
  'refusal.token.invalid': 'Access token validation failure: signature, audience, issuer or lifetime is invalid.',
  'refusal.token.issuerUnknown': 'Access token validation failure. The issuer is not a tenant of this deployment.',
  'refusal.token.otherTenant': 'The access token was issued by another tenant than the one this request addresses.',
  'refusal.token.tenantMismatch': 'Access token validation failure. The tenant claim does not match the issuer.',
  'refusal.token.userGone': 'The signed-in user no longer exists or is disabled.',
  'refusal.user.guestUpn': 'The userPrincipalName of a guest is set by its invitation.',
  'refusal.user.mailTaken': "Another user of this tenant already has the address '{email}'.",
  'refusal.user.notInTenant': "User '{userId}' does not exist in this tenant.",
  'refusal.user.upnDomain':
    "The domain of userPrincipalName '{upn}' is not a verified domain of this tenant ({domains}).",
  'refusal.user.upnInvalid':
    "'{userPrincipalName}' is not a valid userPrincipalName in a verified domain of this tenant.",
  'refusal.user.upnOrMailTaken':
    'Another object with the same value for property userPrincipalName or mail already exists.',
  'refusal.user.upnTaken':
    "Another object with the same value for property userPrincipalName or mail ('{upn}') already exists.",
  'refusal.exposure.uriTooLong': "'{uri}' is not a valid identifier URI: at most {max} characters.",
  'refusal.exposure.uriNotAbsolute': "'{uri}' is not a valid identifier URI: not an absolute URI.",
  'refusal.exposure.uriScheme': "'{uri}' is not a valid identifier URI: use api://… or https://….",
  'refusal.exposure.uriParts':
    "'{uri}' is not a valid identifier URI: give a host, and no credentials, query, fragment or wildcard.",
  'refusal.exposure.uriTrailingSlash': "'{uri}' is not a valid identifier URI: no trailing slash.",
  'refusal.exposure.uriNotVerified':
    "'{uri}' is not a valid identifier URI: https identifier URIs must be on a verified domain of the tenant, and {host} is not.",
  'refusal.exposure.tooManyUris': 'An app may have at most {max} identifier URIs.',
  'refusal.exposure.uriTwice': "The identifier URI '{uri}' is listed twice.",
  'refusal.exposure.tooManyPermissions': 'An app may define at most {max} scopes and as many app roles.',
  'refusal.exposure.badId': "'{id}' is not an id: give a GUID.",
  'refusal.exposure.badValue': "'{value}' is not a permission value (no spaces, no leading dot).",
  'refusal.exposure.valueTwice': "The value '{value}' is used twice.",
  'refusal.exposure.idTwice': 'The id {id} is used by two scopes or roles.',
  'refusal.exposure.scopeNeedsName': "The scope '{value}' needs an adminConsentDisplayName.",
  'refusal.exposure.roleNeedsName': "The app role '{value}' needs a displayName.",
  'refusal.exposure.roleNeedsTypes': "The app role '{value}' needs allowedMemberTypes: User, Application or both.",
  'refusal.exposure.stillEnabled':
    "'{value}' is enabled: set isEnabled to false first, then remove it or change its value in a later update.",
  'refusal.exposure.tooManyResources': 'An app may name at most {max} resources.',
  'refusal.exposure.resourceTwice': 'The resource {resource} is listed twice.',
  'refusal.exposure.noSuchApi': "No app with appId '{appId}' exposes an API in this tenant.",
  'refusal.exposure.noSuchScope': "The resource {resource} has no delegated scope with id '{id}'.",
  'refusal.exposure.noSuchRole':
    "The resource {resource} has no application permission (app role for applications) with id '{id}'.",
  'refusal.exposure.permissionTwice': 'A permission of {resource} is listed twice.',
  'refusal.exposure.uriTaken': "The identifier URI '{uri}' is already used by another app in this tenant.",
  // dup17
  'refusal.bulk.sendNotBoolean': '"{value}" is not true or false in the send column',
  // consent18
  'refusal.permissionGrants.filter': "Only $filter=clientId eq '<id>' or principalId eq '<id>' is supported here.",
  // deleted19
  'refusal.deleted.restoreConflict':
    'The user cannot be restored: another user now has its userPrincipalName {upn} or its mail {mail}. Change or permanently delete that user first.',
  'refusal.deleted.unknownType':
    "Deleted items are listed by type: microsoft.graph.user, microsoft.graph.group or microsoft.graph.application (or the graph. alias); '{type}' is none of them.",
  'refusal.leave.home': 'You are a member of {tenant}, not a guest: a member cannot leave their own organization.',
  'refusal.leave.forbidden':
    '{tenant} does not allow guests to leave the organization themselves. Ask its administrator to remove your account.',
  // api18
  'refusal.me.delegatedOnly': '/me request is only valid with delegated authentication flow.',
  // roles19
  'refusal.role.unknown': "No built-in directory role has the id '{id}'.",
  'refusal.role.principalUnknown': "The principal '{id}' is not a user of this tenant.",
  'refusal.role.alreadyAssigned': '{user} already holds the role {role}.',
  'refusal.role.lastGlobalAdmin':
    '{user} is the last enabled Global Administrator of this tenant: make another user Global Administrator first.',
  'refusal.role.scope': "Only the directory scope '/' is supported, not '{scope}'.",
  'refusal.role.filter':
    "Filter role assignments with principalId eq '…' and/or roleDefinitionId eq '…', joined by and.",
  'refusal.role.resetGuest': '{user} is a guest: a guest signs in at their own organization, not with a password here.',
  // policy19
  'refusal.invitation.policyNone':
    "{tenant} does not allow anyone to invite guests, administrators included (guest invite settings: allowInvitesFrom '{rule}').",
  'refusal.invitation.policyAdmins':
    "Only administrators and Guest Inviters may invite guests to {tenant} (guest invite settings: allowInvitesFrom '{rule}'); {user} is neither.",
  'refusal.invitation.policyMembers':
    "Only administrators, Guest Inviters and members may invite guests to {tenant} (guest invite settings: allowInvitesFrom '{rule}'); {user} is a guest.",
  'refusal.invitation.domainDenied':
    "{tenant} does not allow invitations to {domain}: its collaboration restrictions deny '{rule}'.",
  'refusal.invitation.domainNotAllowed':
    '{tenant} allows invitations only to the domains on its collaboration allow list ({allowed}), and {domain} is not one of them.',
  'refusal.policy.invalid': 'The policy is not valid: {detail}',
  'refusal.policy.allowNeedsDomains': 'An allow list needs at least one domain: with none, no one could be invited.',
  'refusal.policy.unsupported': "'{property}' cannot be changed in Portico: only {supported}.",
  'refusal.myapps.redirectNotRegistered':
    "'{url}' is not an address of this organization's apps: choose one of its apps or My Apps.",
  'refusal.apps.noSuchAppRole': "The app has no enabled app role with id '{id}' that users and groups may be assigned.",
  'refusal.appRoles.principalId': 'principalId must be the id of the user or group in the URL ({id}).',
  // sec
  'refusal.role.privilegedTarget': '{user} holds an administrator role that only a Global Administrator may manage.',
  'refusal.auth.resetRedemption': 'Resetting a redemption needs one of: {writeUsers}.',
  // gov-signins
  'refusal.role.privilegedTargetApp':
    '{user} holds an administrator role: an application changes such a user only with the {permission} permission besides its user permission.',
  'refusal.role.beyondYourRole':
    '{user} holds an administrator role your own role does not manage: ask a User Administrator or a Global Administrator.',
  'refusal.query.orderbyUnsupported':
    "$orderby '{orderBy}' is not supported on this resource: order by one of {orderable}, with asc or desc.",
  // gov-deleted
  'refusal.deleted.cliTarget': 'Name the deleted item: --user <id-or-upn> for a user, or --id <object-id> with --type.',
  'refusal.deleted.cliNotFound': "No deleted {type} of this tenant has the id or name '{ref}'.",
  // mfa-passkey
  'refusal.passkey.notVerified': 'The passkey could not be verified: try again, or use another method.',
  'refusal.passkey.challenge': 'This passkey request has expired or was used already: start again.',
  'refusal.passkey.notAllowed': 'Your organization does not let you use passkeys or security keys: use another method.',
  // mfa-policy
  'refusal.conditionalAccess.noUsers':
    'A Conditional Access policy must include someone: includeUsers, includeGroups, includeRoles or includeGuestsOrExternalUsers.',
  'refusal.conditionalAccess.blockAlone': "The grant control 'block' cannot be combined with another control.",
  'refusal.conditionalAccess.keywordAlone': "'{keywords}' cannot be listed together with other values.",
  'refusal.query.conditionalAccessFilter': '$filter is not supported on Conditional Access policies.',
  'refusal.authMethods.unknownGroup':
    "'{id}' is not a group of this tenant: include targets are 'all_users' or group ids.",
  'refusal.authMethods.unknownMethod':
    "'{id}' is not an authentication method Portico has: Fido2, SoftwareOath or Email.",
  'refusal.authMethods.twice': 'Each authentication method configuration may appear once.',
  // ux-lists
  'refusal.terms.targetNoGroups': 'Terms of use that apply to chosen groups need at least one group in groupIds.',
  'refusal.terms.targetTooManyGroups': 'Terms of use can apply to at most {maxTargetGroups} groups.',
  'refusal.terms.targetUnknownGroup': '{id} is not a group of this organization.',
  'refusal.cli.keysNewKeyEnv':
    'PORTICO_SECRET_KEY holds the deployment key: put a new key in another environment variable and name it with --new-key-env <VAR> (make one with `openssl rand 32 | basenc --base64url | tr -d =`), or list the new key first in PORTICO_SECRET_KEY.',
  'refusal.cli.keysNewKeyInvalid': '{name} must hold one new key: 32 random bytes in base64url (43 characters).',
  'refusal.cli.keysNewKeyHeld': '{name} holds a key this deployment has already: a rotation needs a new one.',
  'refusal.invitation.tooManyGrants': 'An invitation can add the user to at most {max} groups and {max} apps.',
  'refusal.cli.profilesUnreadable':
    "The CLI's profiles file {path} is not valid JSON: fix it or remove it and log in again.",
  'refusal.cli.noProfile':
    "There is no profile '{name}': log in with `portico login <url> --profile {name}`, or use --profile local for the store here.",
  'refusal.cli.noTenant':
    'Which tenant? Give --tenant <id-or-domain>, or set a default with `portico config set tenant <id-or-domain>`.',
  'refusal.cli.remoteUnsupported':
    '`{command}` works only on the store beside the server, and profile {profile} is remote: run it there with --profile local (or PORTICO_PROFILE=local).',
  'refusal.cli.remoteOption':
    '{option} works only on the store beside the server, and profile {profile} is remote: run it there with --profile local.',
  'refusal.cli.otherTenant':
    "Profile {profile} manages tenant {tenantId}, not '{ref}': log in to that tenant with another profile.",
  'refusal.cli.remoteTenantFixed':
    "Profile {profile}'s tenant is the one its app belongs to ({tenantId}): to manage another tenant, log in again with another profile.",
  'refusal.cli.localProfileName': "'local' names the store beside this process: give the profile another name.",
  'refusal.cli.unknownConfigKey': "'{key}' is no setting of the CLI: the one there is is tenant.",
  'refusal.cli.assignment':
    "'{assignment}' is not key=value: for example --set displayName=Ann or --set accountEnabled=false.",
  'refusal.cli.csvOnly': 'Give --csv: the export writes CSV.',
  'refusal.cli.resetNeedsEmail': '{user} has no mail: give the address the new invitation goes to with --email.',
  'refusal.cli.loginUrl': "'{url}' is not a deployment's URL: give its public https:// (or http://) address.",
};
