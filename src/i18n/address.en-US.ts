// Why an email address is refused (src/directory/address.ts): the API and the CLI say it in en-US, pages in the
// reader's language. Each says what is wrong and, where it helps, what to do.
export const addressEnUS = {
  'address.invalid': "'{value}' is not a valid email address: {reason}",
  'address.empty': 'it is empty.',
  'address.control':
    'it contains the control character {char} (character {position}), which is never part of an address. Type the address again rather than pasting it.',
  'address.invisible':
    'it contains the invisible character {char} (character {position}), which makes an address look like another. Type the address again rather than pasting it.',
  'address.space': 'it contains white space ({char}, character {position}). Remove it.',
  'address.replacement':
    'it contains {char} (character {position}), which stands for bytes that were not valid text: the source was probably not saved as UTF-8.',
  'address.at': 'it needs exactly one @, with a name before it and a domain after it (name@example.com).',
  'address.quoted': 'quoted names ("…"@example.com) are not accepted.',
  'address.local':
    "the part before @ may hold letters, digits and ! # $ % & ' * + - / = ? ^ _ ` { | } ~, in parts separated by single dots, with no dot at its start or end.",
  'address.tooLong': 'it is {length} bytes long; an address has at most 254.',
  'address.localTooLong': 'the part before @ is {length} bytes long; it has at most 64.',
  'address.domainLiteral': 'an IP address in brackets is not accepted as a domain; use the domain name.',
  'address.domainChars': 'the domain {domain} contains {char}; a domain holds letters, digits, hyphens and dots.',
  'address.domainLabel':
    'the domain {domain} needs at least two parts separated by single dots, each at most 63 characters long.',
  'address.domainHyphen':
    'a part of the domain {domain} starts or ends with a hyphen, or is not a valid internationalized name.',
  'address.domainTld': 'the domain {domain} ends in a number; it must end in a name such as com.',
  'address.domainTooLong': 'the domain {domain} is {length} characters long as DNS writes it; at most 255 are allowed.',
  'address.domainIdn': 'the domain {domain} is not a valid internationalized domain name.',
  'address.domainForm': 'the domain {domain} is not written in its standard form; write it as {canonical}.',
};
