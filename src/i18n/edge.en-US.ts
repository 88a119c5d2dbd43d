// What a browser is told when the edge (http/edge.ts) refuses a request before any route sees it: what was wrong and
// what to do about it.
export const edgeEnUS = {
  'edge.tooLarge':
    'What you sent is larger than {size} allows here. Go back, send less (fewer or smaller files, shorter text) and try again.',
  'edge.badForm': 'Portico could not read the form you sent. Go back, reload the page and submit the form again.',
  'edge.badJson': 'Portico could not read the JSON you sent. Check that it is valid UTF-8 JSON and send it again.',
  'edge.controlCharacter':
    'What you sent contains an invisible control character, which Portico does not accept. Go back, retype the text (or the link) without it and try again.',
};
