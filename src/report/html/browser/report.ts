/**
 * The script of an mxlint HTML report, inlined into the page (by hash in its Content-Security-Policy)
 * and run by the browser, never by Node: it is compiled on its own (./tsconfig.json, DOM types) and
 * read as text by ../page.ts. On a report of several domains it draws the table of domains from the
 * page's data blocks — only the rows in view, so 100,000 domains scroll like 100 —, filters and
 * sorts it, and shows a domain's page when one is chosen (unpacking it when it is not in the page).
 * It writes text only through textContent and DOM nodes; the one markup it inserts is a domain's
 * page that the report wrote, escaped, itself. Without it the page still shows what it wrote.
 */
(() => {
  /** As src/report/html/rows.ts writes them: [name, status, errors, unknown, warnings, infos, exchanges, rules, ms]. */
  type Row = [string, number, number, number, number, number, (number | string)[], (number | string)[], number];
  /** ROW_STATUSES of rows.ts, in order, with their signs. */
  const STATUSES = ['pass', 'warn', 'fail', 'unknown'] as const;
  const MARKS = ['✓', '!', '✗', '?'] as const;
  /** Worst last when sorting by verdict: pass, warn, unknown, fail. */
  const STATUS_RANK = [0, 1, 3, 2] as const;
  /** Rows drawn above and below those in view, so a quick scroll shows no gap. */
  const OVERSCAN = 20;
  /** Unpacked blocks of domain pages kept, the most recently used. */
  const KEPT_BLOCKS = 4;

  interface Entry {
    index: number;
    name: string;
    status: number;
    errors: number;
    unknown: number;
    warnings: number;
    exchanges: string[];
    rules: string[];
    ms: number;
    /** Name and exchanges, lower-case: what the text filter looks in. */
    haystack: string;
  }

  const section = document.getElementById('domains');
  const details = document.getElementById('details');
  const scroller = document.getElementById('table-scroll');
  const table = document.getElementById('domains-table') as HTMLTableElement | null;
  const textFilter = document.getElementById('filter-text') as HTMLInputElement | null;
  const ruleFilter = document.getElementById('filter-rule') as HTMLSelectElement | null;
  const statusFilter = document.getElementById('filter-status');
  const tableStatus = document.getElementById('table-status');
  if (!section || !details || !scroller || !table || !textFilter || !ruleFilter || !statusFilter || !tableStatus) return;
  const body = table.tBodies[0]!;

  const names: string[] = [];
  const entries: Entry[] = [];
  const nameOf = (ref: number | string): string => (typeof ref === 'number' ? names[ref] ?? '?' : ref);
  /** An exchange as the table shows it: a null MX in words rather than as its ".". */
  const exchangeText = (ref: number | string): string => {
    const name = nameOf(ref);
    return name === '.' ? 'null MX "."' : name;
  };
  for (const element of document.querySelectorAll<HTMLScriptElement>('script.mxlint-rows')) {
    const data = JSON.parse(element.textContent ?? '{}') as { names: string[]; rows: Row[] };
    for (const name of data.names) names.push(name);
    for (const [name, status, errors, unknown, warnings, , exchanges, rules, ms] of data.rows) {
      const exchangeNames = exchanges.map(exchangeText);
      entries.push({
        index: entries.length, name, status, errors, unknown, warnings, exchanges: exchangeNames, rules: rules.map(nameOf), ms,
        haystack: `${name} ${exchangeNames.join(' ')}`.toLowerCase(),
      });
    }
  }
  const pageBlocks = [...document.querySelectorAll<HTMLScriptElement>('script.mxlint-pages')]
    .map((element) => ({ first: Number(element.dataset.first), element }));

  document.documentElement.classList.add('js-table');
  section.hidden = false;

  // --- filtering and sorting -----------------------------------------------------------------
  type SortKey = 'name' | 'status' | 'errors' | 'unknown' | 'warnings' | 'exchanges' | 'ms';
  const SORT_VALUE: Record<SortKey, (entry: Entry) => string | number> = {
    name: (e) => e.name, status: (e) => STATUS_RANK[e.status as 0 | 1 | 2 | 3], errors: (e) => e.errors, unknown: (e) => e.unknown,
    warnings: (e) => e.warnings, exchanges: (e) => e.exchanges[0] ?? '', ms: (e) => e.ms,
  };
  let sortKey: SortKey | null = null;
  let descending = false;
  let view: Entry[] = entries;

  const compare = (a: Entry, b: Entry): number => {
    if (sortKey === null) return a.index - b.index;
    const x = SORT_VALUE[sortKey](a);
    const y = SORT_VALUE[sortKey](b);
    const order = x < y ? -1 : x > y ? 1 : a.index - b.index;
    return descending ? -order : order;
  };

  function applyFilters(): void {
    const text = textFilter!.value.trim().toLowerCase();
    const rule = ruleFilter!.value;
    const statuses = new Set([...statusFilter!.querySelectorAll<HTMLInputElement>('input[type=checkbox]')].filter((box) => box.checked).map((box) => Number(box.value)));
    view = entries.filter((e) => statuses.has(e.status) && (text === '' || e.haystack.includes(text)) && (rule === '' || e.rules.includes(rule)));
    if (sortKey !== null) view.sort(compare);
    table!.setAttribute('aria-rowcount', String(view.length + 1));
    tableStatus!.textContent = `${view.length.toLocaleString('en-US')} of ${entries.length.toLocaleString('en-US')} domains shown`;
    scroller!.scrollTop = 0;
    draw(true);
  }

  // --- the rows in view ----------------------------------------------------------------------
  const spacer = (): HTMLTableRowElement => {
    const row = document.createElement('tr');
    row.className = 'spacer';
    row.setAttribute('aria-hidden', 'true');
    const cell = row.insertCell();
    cell.colSpan = 7;
    return row;
  };
  const above = spacer();
  const below = spacer();
  /** The rows drawn, by their place in `view`. */
  const drawn = new Map<number, HTMLTableRowElement>();
  let rowHeight = 0;
  let current: number | null = null;

  /** The row of the domain whose page is shown: a bar and bold name beside the colour, and aria-current for screen readers. */
  function markCurrent(row: HTMLTableRowElement, isCurrent: boolean): void {
    row.classList.toggle('current', isCurrent);
    if (isCurrent) row.setAttribute('aria-current', 'true');
    else row.removeAttribute('aria-current');
  }

  function cell(row: HTMLTableRowElement, text: string, className?: string): HTMLTableCellElement {
    const td = row.insertCell();
    td.textContent = text;
    if (className) td.className = className;
    return td;
  }

  function rowOf(position: number): HTMLTableRowElement {
    const entry = view[position]!;
    const row = document.createElement('tr');
    row.setAttribute('aria-rowindex', String(position + 2));
    row.dataset.index = String(entry.index);
    if (entry.index === current) markCurrent(row, true);
    const open = document.createElement('button');
    open.type = 'button';
    open.className = 'open';
    open.dataset.index = String(entry.index);
    open.textContent = entry.name;
    row.insertCell().append(open);
    const verdict = document.createElement('span');
    verdict.className = `badge mark-${STATUSES[entry.status as 0 | 1 | 2 | 3]}`;
    const mark = document.createElement('span');
    mark.setAttribute('aria-hidden', 'true');
    mark.textContent = MARKS[entry.status as 0 | 1 | 2 | 3];
    verdict.append(mark, ` ${STATUSES[entry.status as 0 | 1 | 2 | 3].toUpperCase()}`);
    row.insertCell().append(verdict);
    cell(row, String(entry.errors), 'num');
    cell(row, String(entry.unknown), 'num');
    cell(row, String(entry.warnings), 'num');
    if (entry.exchanges.length > 0) cell(row, entry.exchanges.join(', '), 'exchanges').title = entry.exchanges.join('\n');
    else cell(row, 'no MX', 'exchanges none');
    cell(row, String(entry.ms), 'num');
    return row;
  }

  /**
   * Draws the rows in view and a few around them, between two spacers as tall as the rows left out.
   * Rows still in view stay the same nodes (a focused one keeps its focus); `afresh` redraws all.
   */
  function draw(afresh = false): void {
    if (afresh) {
      for (const row of drawn.values()) row.remove();
      drawn.clear();
    }
    if (!above.isConnected) body.replaceChildren(above, below);
    if (rowHeight === 0 && view.length > 0) {
      const probe = rowOf(0);
      body.insertBefore(probe, below);
      rowHeight = probe.getBoundingClientRect().height || 35;
      probe.remove();
    }
    const height = rowHeight || 35;
    // The scroller is only as tall as what it holds, up to its maximum: before the rows are drawn, the window's height stands for it.
    const inView = Math.max(scroller!.clientHeight, window.innerHeight);
    const first = Math.max(0, Math.floor(scroller!.scrollTop / height) - OVERSCAN);
    const last = Math.min(view.length, Math.ceil((scroller!.scrollTop + inView) / height) + OVERSCAN);
    for (const [position, row] of drawn) {
      if (position < first || position >= last) {
        row.remove();
        drawn.delete(position);
      }
    }
    for (let position = last - 1; position >= first; position--) {
      if (drawn.has(position)) continue;
      const row = rowOf(position);
      body.insertBefore(row, drawn.get(position + 1) ?? below);
      drawn.set(position, row);
    }
    above.cells[0]!.style.height = `${first * height}px`;
    below.cells[0]!.style.height = `${(view.length - last) * height}px`;
  }

  let pending = false;
  scroller.addEventListener('scroll', () => {
    if (pending) return;
    pending = true;
    requestAnimationFrame(() => {
      pending = false;
      draw();
    });
  });

  // --- a domain's page -------------------------------------------------------------------------
  const unpacked = new Map<number, Promise<(string | null)[]>>();

  async function unpack(element: HTMLScriptElement): Promise<(string | null)[]> {
    const binary = atob((element.textContent ?? '').trim());
    const bytes = new Uint8Array(binary.length);
    for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
    const text = await new Response(new Blob([bytes]).stream().pipeThrough(new DecompressionStream('gzip'))).text();
    return JSON.parse(text) as (string | null)[];
  }

  /** The page of domain `index`: in the report as written, or unpacked from its block. */
  async function pageOf(index: number): Promise<HTMLElement | null> {
    const written = document.getElementById(`d-${index}`);
    if (written) return written;
    const block = pageBlocks.filter((b) => b.first <= index).at(-1);
    if (!block) return null;
    let pages = unpacked.get(block.first);
    if (!pages) {
      pages = unpack(block.element);
      unpacked.set(block.first, pages);
      if (unpacked.size > KEPT_BLOCKS) unpacked.delete(unpacked.keys().next().value!);
    }
    const page = (await pages)[index - block.first];
    if (typeof page !== 'string') return null;
    // The report's own markup, escaped when it was written: the one place this script inserts markup.
    details!.insertAdjacentHTML('beforeend', page);
    return document.getElementById(`d-${index}`);
  }

  async function open(index: number, focus: boolean): Promise<void> {
    const page = await pageOf(index);
    if (!page) return;
    details!.querySelector('.domain.open')?.classList.remove('open');
    page.classList.add('open');
    current = index;
    for (const row of drawn.values()) markCurrent(row, row.dataset.index === String(index));
    if (focus) {
      // Only on a choice: a fragment set while the page loads makes the browser scroll to it.
      history.replaceState(null, '', `#d-${index}`);
      const heading = page.querySelector('h2');
      if (heading) {
        heading.tabIndex = -1;
        heading.focus();
      }
      page.scrollIntoView({ block: 'start' });
    }
  }

  body.addEventListener('click', (event) => {
    const button = (event.target as Element).closest<HTMLButtonElement>('button.open');
    if (button) void open(Number(button.dataset.index), true);
  });

  // --- controls ---------------------------------------------------------------------------------
  let filtering = 0;
  textFilter.addEventListener('input', () => {
    cancelAnimationFrame(filtering);
    filtering = requestAnimationFrame(applyFilters);
  });
  ruleFilter.addEventListener('change', applyFilters);
  statusFilter.addEventListener('change', applyFilters);
  for (const button of table.tHead!.querySelectorAll<HTMLButtonElement>('button[data-sort]')) {
    button.addEventListener('click', () => {
      const key = button.dataset.sort as SortKey;
      descending = sortKey === key ? !descending : false;
      sortKey = key;
      for (const th of table.tHead!.querySelectorAll('th')) th.setAttribute('aria-sort', 'none');
      button.parentElement!.setAttribute('aria-sort', descending ? 'descending' : 'ascending');
      applyFilters();
    });
  }

  applyFilters();
  const asked = /^#d-(\d+)$/.exec(location.hash);
  void open(asked ? Number(asked[1]) : entries[0]?.index ?? -1, false);
})();
