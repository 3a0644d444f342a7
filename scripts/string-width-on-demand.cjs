/**
 * string-width for the bundled CLI (scripts/bundle-cli.mjs points yargs' help layout here): the
 * real module builds an Intl.Segmenter and Unicode-property regexes as soon as it is loaded (some
 * 15 ms), which a run that prints no help never uses, and mxlint's help is printable ASCII, whose
 * width is its length. So the real module is loaded (esbuild runs a module that is require()d at
 * the first require) only for other text.
 */
let stringWidth;

module.exports = function widthOf(text, options) {
  if (typeof text === 'string' && /^[\x20-\x7e]*$/.test(text)) return text.length;
  stringWidth ??= require('../node_modules/string-width/index.js').default;
  return stringWidth(text, options);
};
