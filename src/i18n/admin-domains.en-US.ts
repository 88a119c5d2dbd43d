// The admin center's domains page.
export const adminDomainsEnUS = {
  'admin.domains.intro':
    "{initial} is your organization's initial domain and always names it. Add a domain you own and prove it with a DNS TXT record: once verified, direct links such as /myapps/<domain> and sign-in addresses under the domain lead to your organization, and no identity provider on this Portico can take over its addresses.",
  'admin.domains.col.name': 'Domain',
  'admin.domains.col.status': 'Status',
  'admin.domains.initial': 'Initial, verified',
  'admin.domains.verified': 'Verified',
  'admin.domains.unverified': 'Not verified',
  'admin.domains.add': 'Add a domain',
  'admin.domains.name': 'Domain name',
  'admin.domains.nameHint': 'For example fabrikam.com. You verify it in the next step.',
  'admin.domains.addSubmit': 'Add domain',
  'admin.domains.readOnly': 'Your role can view domains but not change them.',
  'admin.domains.added': '{name} was added. Publish the TXT record below, then verify it.',
  'admin.domains.verifiedDone': '{name} is verified.',
  'admin.domains.unverifiedDone': '{name} is no longer verified. Direct links by this domain stop working now.',
  'admin.domains.removed': '{name} was removed.',
  'admin.domains.back': 'All domains',
  'admin.domains.publish':
    'Publish this TXT record at the DNS host of {name}, then select Verify. DNS changes can take a while to reach everyone; if verifying fails, wait and try again.',
  'admin.domains.rec.type': 'Type',
  'admin.domains.rec.host': 'Name (host)',
  'admin.domains.rec.hostHint': '{name} itself: most DNS hosts call it @ or leave it empty',
  'admin.domains.rec.value': 'Value',
  'admin.domains.rec.ttl': 'TTL',
  'admin.domains.verify': 'Verify',
  'admin.domains.verifiedNote':
    '{name} is verified: direct links such as {link} lead to {tenant}. Keep the TXT record published: it verifies the domain again if it is ever unverified.',
  'admin.domains.unverify': 'Unverify',
  'admin.domains.unverifyNote':
    'Unverifying takes effect at once: direct links and sign-in addresses by this domain stop leading to {tenant} until it is verified again.',
  'admin.domains.initialNote':
    "This is your organization's initial domain. It is always verified and cannot be removed.",
  'admin.domains.remove': 'Remove domain',
  'admin.domains.removeTitle': 'Remove {name}?',
  'admin.domains.removeConfirm':
    '{name} will no longer name {tenant}: direct links by this domain stop working. You can add it again later and verify it with the same TXT record.',
  'admin.domains.removeSubmit': 'Remove',
  'admin.domains.cancel': 'Cancel',
  'admin.domains.err.invalid': 'Type a domain name such as fabrikam.com.',
  'admin.domains.err.reserved':
    'Names under {suffix} are the initial domains of organizations on this Portico and cannot be added.',
  'admin.domains.err.tooMany':
    'Your organization has as many domains as it can have. Remove one you no longer use first.',
  'admin.domains.err.exists': '{name} is already one of your domains.',
  'admin.domains.err.missing':
    'Verification failed: the TXT record was not found at {name}. Check that it is published exactly as shown, wait for DNS to update, and try again.',
  'admin.domains.err.mismatch':
    'Verification failed: {name} has a portico-verification TXT record, but not the one for your organization. Publish the value shown below and try again.',
  'admin.domains.err.taken':
    '{name} is verified by another organization on this Portico. It must remove the domain before you can verify it.',
  'admin.domains.err.dns':
    "Portico couldn't reach DNS to look up {name}. Try again in a moment; if it keeps failing, tell the person who runs this Portico.",
  'admin.domains.err.inUse':
    'Users of your organization sign in with names under {name}. Change their user names first, then remove the domain.',
};
