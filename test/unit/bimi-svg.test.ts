/**
 * The BIMI logo checks on pure input: mxlint's strict XML reader (well-formedness, namespaces,
 * entities within their budget) and the SVG Tiny PS profile — a good logo, a script, an external
 * href, the wrong profile, no title, an entity bomb, SVGZ and a gzip bomb.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import { MAX_ENTITY_DEPTH, MAX_ENTITY_EXPANSION_CHARS, readXml } from '../../src/families/bimi/xml.js';
import { MAX_INDICATOR_INFLATED_BYTES, readIndicator } from '../../src/families/bimi/svg.js';
import { GOOD_LOGO, logo } from '../support/bimi.js';

function problems(svg: string | Buffer): string[] {
  return readIndicator(typeof svg === 'string' ? Buffer.from(svg) : svg).problems;
}

describe('the XML reader', () => {
  test('reads elements, attributes, namespaces, text, CDATA and references', () => {
    const xml = readXml('<?xml version="1.0" encoding="UTF-8"?>\n<!-- c --><r xmlns="urn:a" xmlns:b="urn:b" b:x="1 &amp; 2"><b:e>t&#x41;<![CDATA[<raw>]]></b:e></r>');
    assert.ok(xml.ok, JSON.stringify(xml));
    const { root } = xml;
    assert.deepEqual([root.local, root.namespace], ['r', 'urn:a']);
    assert.deepEqual(root.attributes.find((a) => a.local === 'x'), { name: 'b:x', local: 'x', namespace: 'urn:b', value: '1 & 2' });
    const child = root.children[0]!;
    assert.ok(!('text' in child));
    assert.deepEqual([child.local, child.namespace, child.children], ['e', 'urn:b', [{ text: 'tA<raw>' }]]);
  });

  for (const [what, text, problem] of [
    ['a mismatched end tag', '<a><b></a></b>', /line 1: <\/a> closes <b>/],
    ['an unclosed element', '<a>\n<b>\n', /<b> \(line 2\) is not closed/],
    ['two roots', '<a/><b/>', /content after the root element/],
    ['a duplicate attribute', '<a x="1" x="2"/>', /attribute x appears twice/],
    ['an undeclared prefix', '<a p:x="1"/>', /prefix p of p:x is not declared/],
    ['a bare ampersand', '<a>AT&T</a>', /"&" that starts no reference/],
    ['an undeclared entity', '<a>&nbsp;</a>', /entity &nbsp; is not declared/],
    ['"<" in an attribute', '<a x="<"/>', /"<" in the value of attribute x/],
    ['a NUL character', '<a>\u0000</a>', /U\+0000 cannot appear in XML/],
    ['an encoding other than UTF-8', '<?xml version="1.0" encoding="ISO-8859-1"?><a/>', /only UTF-8 is read/],
    ['an external entity', '<!DOCTYPE a [<!ENTITY x SYSTEM "file:///etc/passwd">]><a>&x;</a>', /entity &x; is external/],
    ['a parameter entity', '<!DOCTYPE a [<!ENTITY % p "x">]><a/>', /parameter entit/],
    ['attribute defaults', '<!DOCTYPE a [<!ATTLIST a onload CDATA "alert(1)">]><a/>', /attribute defaults \(ATTLIST\)/],
    ['an entity holding markup', '<!DOCTYPE a [<!ENTITY m "<script/>">]><a>&m;</a>', /entity &m; holds markup/],
    ['an entity that refers to itself', '<!DOCTYPE a [<!ENTITY s "&s;">]><a>&s;</a>', /entity &s; refers to itself/],
  ] as const) {
    test(`refuses ${what}`, () => {
      const xml = readXml(text);
      assert.equal(xml.ok, false);
      assert.match((xml as { problem: string }).problem, problem);
    });
  }

  test('expands an internal entity, as Illustrator declares its namespaces', () => {
    const xml = readXml('<!DOCTYPE svg [<!ENTITY ns_svg "http://www.w3.org/2000/svg">]><svg xmlns="&ns_svg;"/>');
    assert.ok(xml.ok);
    assert.equal(xml.root.namespace, 'http://www.w3.org/2000/svg');
  });

  test('an entity expansion bomb ends within its budget, with a problem', () => {
    const levels = Array.from({ length: 10 }, (_, i) => `<!ENTITY l${i + 1} "${`&l${i};`.repeat(10)}">`).join('');
    const bomb = `<!DOCTYPE a [<!ENTITY l0 "lol">${levels}]><a>&l10;</a>`;
    const started = process.hrtime.bigint();
    const xml = readXml(bomb);
    assert.equal(xml.ok, false);
    assert.match((xml as { problem: string }).problem, new RegExp(`expand past ${MAX_ENTITY_EXPANSION_CHARS} characters`));
    // Nothing near 10^10 characters was produced: the budget stops it (a generous bound, not a timing).
    assert.ok(process.hrtime.bigint() - started < 5_000_000_000n);
  });

  test('empty entities nested wide cost budget too (work, not only output, is counted)', () => {
    const levels = Array.from({ length: 8 }, (_, i) => `<!ENTITY e${i + 1} "${`&e${i};`.repeat(20)}">`).join('');
    const xml = readXml(`<!DOCTYPE a [<!ENTITY e0 "">${levels}]><a>&e8;</a>`);
    assert.equal(xml.ok, false);
    assert.match((xml as { problem: string }).problem, /expand past/);
  });

  test('a chain of entities deeper than the bound is refused, not a stack overflow', () => {
    const count = 5000;
    const chain = Array.from({ length: count }, (_, i) => `<!ENTITY c${i} "&c${i + 1};">`).join('');
    const xml = readXml(`<!DOCTYPE a [${chain}<!ENTITY c${count} "end">]><a>&c0;</a>`);
    assert.equal(xml.ok, false);
    assert.match((xml as { problem: string }).problem, new RegExp(`nested more than ${MAX_ENTITY_DEPTH} deep`));
  });
});

describe('SVG Tiny PS', () => {
  test('a good logo passes, its title read', () => {
    const reading = readIndicator(Buffer.from(GOOD_LOGO));
    assert.deepEqual(reading.problems, []);
    assert.equal(reading.title, 'Example Brand');
    assert.equal(reading.compressed, false);
    assert.ok(reading.svg?.equals(Buffer.from(GOOD_LOGO)));
  });

  test('SVGZ is read after decompression, the SVG kept uncompressed', () => {
    const reading = readIndicator(gzipSync(GOOD_LOGO));
    assert.deepEqual([reading.compressed, reading.problems], [true, []]);
    assert.equal(reading.svg?.toString('utf8'), GOOD_LOGO);
  });

  test('a gzip bomb stops at its bound', () => {
    const bomb = gzipSync(Buffer.alloc(MAX_INDICATOR_INFLATED_BYTES * 4, 0x20));
    assert.ok(bomb.length < MAX_INDICATOR_INFLATED_BYTES / 10);
    assert.deepEqual(problems(bomb), [`it is gzip data that decompresses to more than ${MAX_INDICATOR_INFLATED_BYTES / 1024} KiB`]);
  });

  test('a script', () => {
    assert.deepEqual(problems(logo({ body: '<script>alert(1)</script>' })), ['<script> is a script, which SVG Tiny PS does not allow (line 3)']);
  });

  test('an external href, a data: image and an external url() are references outside the document; #fragments are not', () => {
    const found = problems(logo({
      body: '<defs><linearGradient id="g"/></defs><use xlink:href="#g"/><use xlink:href="https://evil.example/x.svg#a"/>'
        + '<rect fill="url(#g)" width="1" height="1"/><rect fill="url(\'https://evil.example/p\')" width="1" height="1"/>',
    }));
    assert.deepEqual(found, [
      '<use> refers to "https://evil.example/x.svg#a" (xlink:href=), outside the document (line 3)',
      '<rect> refers to url(https://evil.example/p) in fill=, outside the document (line 3)',
    ]);
    assert.deepEqual(problems(logo({ body: '<image xlink:href="data:image/png;base64,AAAA" width="1" height="1"/>' })), [
      '<image> is an embedded or linked raster image, which SVG Tiny PS does not allow (line 3)',
      '<image> refers to "data:image/png;base64,AAAA" (xlink:href=), outside the document (line 3)',
    ]);
  });

  test('the wrong profile, version, x= and y= on the root', () => {
    assert.deepEqual(problems(logo({ root: 'version="1.1" baseProfile="tiny" x="0" y="0"' })), [
      '<svg> has baseProfile="tiny", not "tiny-ps"',
      '<svg> has version="1.1", not "1.2"',
      '<svg> has a x= attribute, which the profile does not allow on the root',
      '<svg> has a y= attribute, which the profile does not allow on the root',
    ]);
    assert.deepEqual(problems(logo({ root: '' })), ['<svg> has no baseProfile="tiny-ps"', '<svg> has no version="1.2"']);
  });

  test('no title, or an empty one', () => {
    assert.deepEqual(problems(logo({ title: null })), ['<svg> has no <title> (the brand\'s name)']);
    assert.deepEqual(problems(logo({ title: '  ' })), ['the <title> of <svg> is empty']);
  });

  test('animation, event handlers, hyperlinks and elements outside the profile; repeats said once', () => {
    const found = problems(logo({
      body: '<rect width="1" height="1" onclick="go()"><animate attributeName="x" to="5"/></rect>\n'
        + '<a xlink:href="#x"><rect width="1" height="1"/></a><style>rect{}</style><foreignObject/><animate/><animate/>',
    }));
    assert.deepEqual(found, [
      '<rect> has the event handler onclick= (interactivity) (line 3)',
      '<animate> is animation, which SVG Tiny PS does not allow (line 3, and 2 more)',
      '<a> is a hyperlink, which SVG Tiny PS does not allow (line 4)',
      '<style> is not an element of SVG Tiny PS (line 4)',
      '<foreignObject> is foreign (non-SVG) content, which SVG Tiny PS does not allow (line 4)',
    ]);
  });

  test('foreign elements outside <metadata> are refused; inside it they are not judged', () => {
    assert.deepEqual(problems(logo({ body: '<metadata><rdf:RDF xmlns:rdf="urn:rdf"><rdf:x rdf:about="https://example.com/"/></rdf:RDF></metadata>' })), []);
    assert.deepEqual(problems(logo({ body: '<i:pgf xmlns:i="urn:illustrator">data</i:pgf>' })), ['<i:pgf> is not an SVG element (namespace urn:illustrator) (line 3)']);
  });

  test('an xml-stylesheet instruction names a style sheet outside the document', () => {
    assert.deepEqual(problems(`<?xml-stylesheet type="text/css" href="https://evil.example/s.css"?>\n${GOOD_LOGO}`),
      ['an xml-stylesheet instruction (line 1) names a style sheet outside the document']);
  });

  test('not SVG at all', () => {
    assert.deepEqual(problems('<html><body/></html>'), ['its root element is <html>, not <svg>']);
    assert.deepEqual(problems('<svg version="1.2" baseProfile="tiny-ps"><title>x</title></svg>'), ['<svg> is not in the SVG namespace (xmlns="http://www.w3.org/2000/svg" missing)']);
    assert.deepEqual(problems(Buffer.from([0x3c, 0x73, 0xff, 0x3e])), ['it is not UTF-8 text']);
    assert.match(problems('<svg')[0]!, /^it is not well-formed XML \(line 1: /);
    assert.match(problems(Buffer.from([0x1f, 0x8b, 0, 0]))[0]!, /^it starts as gzip data \(SVGZ\) but does not decompress/);
  });

  test('an entity bomb in a logo is a problem of the logo, not a hang', () => {
    const levels = Array.from({ length: 9 }, (_, i) => `<!ENTITY l${i + 1} "${`&l${i};`.repeat(10)}">`).join('');
    const found = problems(`<!DOCTYPE svg [<!ENTITY l0 "lol">${levels}]>\n${logo({ title: '&l9;' })}`);
    assert.equal(found.length, 1);
    assert.match(found[0]!, /^it is not well-formed XML \(line \d+: entity references expand past/);
  });
});
