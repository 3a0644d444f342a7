/**
 * `node generate-domains.js COUNT ZONE`: COUNT unique domain names under ZONE, one per line, on
 * stdout as fast as they are read — the input of the memory runs, which never exists as a file.
 */
const [countText, zone] = process.argv.slice(2);
const count = Number(countText);
if (!Number.isInteger(count) || count < 0 || !zone) {
  process.stderr.write('usage: generate-domains.js COUNT ZONE\n');
  process.exit(3);
}
const LINES_PER_CHUNK = 1000;
let next = 0;
function write(): void {
  while (next < count) {
    const end = Math.min(count, next + LINES_PER_CHUNK);
    let chunk = '';
    for (; next < end; next++) chunk += `n${next}.${zone}\n`;
    if (!process.stdout.write(chunk)) {
      process.stdout.once('drain', write);
      return;
    }
  }
}
process.stdout.on('error', () => process.exit(0));
write();
