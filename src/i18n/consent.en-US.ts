// consent18: a user's consent to an app's delegated permissions (oidc/app-consent.tsx) and the enterprise
// applications section of the admin center (admin/enterprise-apps.tsx).
export const consentEnUS = {
  'uc.intro': '{app} wants to use your account at {tenant}. It asks to:',
  'uc.note': 'Accepting lets {app} do this for you. An administrator of {tenant} can revoke it.',
  'uc.adminNeeded.title': 'Need admin approval',
  'uc.adminNeeded':
    'AADSTS65001: {app} needs permission to access resources in {tenant} that only an administrator can grant ({permissions}). Ask an administrator of {tenant} to grant consent for this app, then try again.',
  'uc.declined': 'AADSTS65004: User declined to consent to access the app.',
  'admin.enterpriseApps': 'Enterprise applications',
  'admin.enterpriseApps.intro':
    "Other organizations' multi-tenant apps that people of {tenant} consented to (their service principals). Deleting one removes every consent to it here and revokes its refresh tokens.",
  'admin.enterpriseApps.none': 'No other organization’s app has been consented to here.',
  'admin.enterpriseApps.name': 'Name',
  'admin.enterpriseApps.appId': 'Application ID',
  'admin.enterpriseApps.owner': 'Publisher tenant',
  'admin.enterpriseApps.created': 'Added',
  'admin.enterpriseApps.adminConsent': 'Admin consent',
  'admin.enterpriseApps.delete': 'Delete',
  'admin.enterpriseApps.deleted': 'The application was removed from this tenant.',
  'admin.enterpriseApps.consentTitle': 'User consent settings',
  'admin.enterpriseApps.consent.none': 'Do not allow user consent (an administrator must consent to every app)',
  'admin.enterpriseApps.consent.lowRisk': "Allow user consent to this organization's own apps only",
  'admin.enterpriseApps.consent.allowAll': 'Allow user consent for apps (of this and other organizations)',
  'admin.enterpriseApps.save': 'Save',
  'admin.enterpriseApps.saved': 'Saved.',
  'admin.enterpriseApps.yes': 'Granted',
  'admin.enterpriseApps.no': 'No',
};
