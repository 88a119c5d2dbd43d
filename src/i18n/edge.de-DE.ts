// Was ein Browser erfährt, wenn der Rand (http/edge.ts) eine Anforderung ablehnt.
import type { edgeEnUS } from './edge.en-US.ts';

export const edgeDeDE: typeof edgeEnUS = {
  'edge.tooLarge':
    'Was Sie gesendet haben, ist größer, als hier erlaubt ist ({size}). Gehen Sie zurück, senden Sie weniger (weniger oder kleinere Dateien, kürzeren Text), und versuchen Sie es erneut.',
  'edge.badForm':
    'Portico konnte das gesendete Formular nicht lesen. Gehen Sie zurück, laden Sie die Seite neu, und senden Sie das Formular erneut.',
  'edge.badJson':
    'Portico konnte das gesendete JSON nicht lesen. Prüfen Sie, ob es gültiges JSON in UTF-8 ist, und senden Sie es erneut.',
  'edge.controlCharacter':
    'Was Sie gesendet haben, enthält ein unsichtbares Steuerzeichen, das Portico nicht annimmt. Gehen Sie zurück, geben Sie den Text (oder den Link) ohne es erneut ein, und versuchen Sie es noch einmal.',
};
