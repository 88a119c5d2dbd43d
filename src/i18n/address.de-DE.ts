import type { addressEnUS } from './address.en-US.ts';

export const addressDeDE: typeof addressEnUS = {
  'address.invalid': '„{value}“ ist keine gültige E-Mail-Adresse: {reason}',
  'address.empty': 'Sie ist leer.',
  'address.control':
    'Sie enthält das Steuerzeichen {char} (Zeichen {position}), das nie Teil einer Adresse ist. Tippen Sie die Adresse neu, statt sie einzufügen.',
  'address.invisible':
    'Sie enthält das unsichtbare Zeichen {char} (Zeichen {position}), durch das eine Adresse wie eine andere aussieht. Tippen Sie die Adresse neu, statt sie einzufügen.',
  'address.space': 'Sie enthält Leerraum ({char}, Zeichen {position}). Entfernen Sie ihn.',
  'address.replacement':
    'Sie enthält {char} (Zeichen {position}), das für Bytes steht, die kein gültiger Text waren: Die Quelle wurde wohl nicht als UTF-8 gespeichert.',
  'address.at': 'Sie braucht genau ein @, mit einem Namen davor und einer Domain danach (name@example.com).',
  'address.quoted': 'Namen in Anführungszeichen ("…"@example.com) werden nicht angenommen.',
  'address.local':
    "Der Teil vor dem @ darf Buchstaben, Ziffern und ! # $ % & ' * + - / = ? ^ _ ` { | } ~ enthalten, in Teilen, die durch einzelne Punkte getrennt sind, ohne Punkt am Anfang oder Ende.",
  'address.tooLong': 'Sie ist {length} Bytes lang; eine Adresse hat höchstens 254.',
  'address.localTooLong': 'Der Teil vor dem @ ist {length} Bytes lang; er hat höchstens 64.',
  'address.domainLiteral':
    'Eine IP-Adresse in Klammern wird als Domain nicht angenommen; verwenden Sie den Domainnamen.',
  'address.domainChars':
    'Die Domain {domain} enthält {char}; eine Domain besteht aus Buchstaben, Ziffern, Bindestrichen und Punkten.',
  'address.domainLabel':
    'Die Domain {domain} braucht mindestens zwei durch einzelne Punkte getrennte Teile, jeder höchstens 63 Zeichen lang.',
  'address.domainHyphen':
    'Ein Teil der Domain {domain} beginnt oder endet mit einem Bindestrich oder ist kein gültiger internationalisierter Name.',
  'address.domainTld': 'Die Domain {domain} endet mit einer Zahl; sie muss mit einem Namen wie com enden.',
  'address.domainTooLong':
    'Die Domain {domain} ist in DNS-Schreibweise {length} Zeichen lang; erlaubt sind höchstens 255.',
  'address.domainIdn': 'Die Domain {domain} ist kein gültiger internationalisierter Domainname.',
  'address.domainForm': 'Die Domain {domain} ist nicht in ihrer Standardform geschrieben; schreiben Sie {canonical}.',
};
