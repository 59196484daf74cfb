/**
 * A strict little XML 1.0 reader for tests: it refuses what a conforming parser refuses
 * (unbalanced or crossed tags, unquoted or repeated attributes, a bare "&" or "<" in text, unknown
 * entities, more than one root, text outside the root) and returns the element tree.
 */
export interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  children: XmlElement[];
  text: string;
}

const NAME = /^[A-Za-z_][A-Za-z0-9._-]*$/;

function decode(text: string, where: string): string {
  if (/<|&(?!(amp|lt|gt|quot|apos|#[0-9]+|#x[0-9a-fA-F]+);)/.test(text)) {
    throw new Error(`not well-formed: bare < or & in ${where}: ${text.slice(0, 60)}`);
  }
  return text
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&#x([0-9a-fA-F]+);/g, (_, h) => String.fromCodePoint(Number.parseInt(h, 16)))
    .replace(/&#([0-9]+);/g, (_, d) => String.fromCodePoint(Number(d)))
    .replace(/&amp;/g, '&');
}

export function parseXml(source: string): XmlElement {
  let s = source.replace(/^<\?xml[^?]*\?>\s*/, '');
  const stack: XmlElement[] = [];
  let root: XmlElement | null = null;
  while (s.length) {
    const lt = s.indexOf('<');
    const text = lt < 0 ? s : s.slice(0, lt);
    if (text.length) {
      if (!stack.length) {
        if (text.trim()) throw new Error(`not well-formed: text outside the root: ${text.slice(0, 40)}`);
      } else stack.at(-1)!.text += decode(text, `<${stack.at(-1)!.name}>`);
    }
    if (lt < 0) break;
    s = s.slice(lt);
    const gt = s.indexOf('>');
    if (gt < 0) throw new Error('not well-formed: unterminated tag');
    const tag = s.slice(1, gt);
    s = s.slice(gt + 1);
    if (tag.startsWith('/')) {
      const name = tag.slice(1).trim();
      const open = stack.pop();
      if (!open || open.name !== name)
        throw new Error(`not well-formed: </${name}> closes <${open?.name ?? 'nothing'}>`);
      if (!stack.length) root = open;
      continue;
    }
    const selfClosing = tag.endsWith('/');
    const body = selfClosing ? tag.slice(0, -1) : tag;
    const match = /^([^\s]+)([\s\S]*)$/.exec(body);
    if (!match || !NAME.test(match[1]!)) throw new Error(`not well-formed: bad tag <${tag}>`);
    if (root || (!stack.length && root !== null)) throw new Error('not well-formed: more than one root');
    const attributes: Record<string, string> = {};
    let rest = match[2]!.trim();
    while (rest.length) {
      const a = /^([A-Za-z_][A-Za-z0-9._:-]*)="([^"<]*)"\s*/.exec(rest);
      if (!a) throw new Error(`not well-formed: bad attribute in <${match[1]} ${rest.slice(0, 40)}`);
      if (a[1]! in attributes) throw new Error(`not well-formed: repeated attribute ${a[1]}`);
      attributes[a[1]!] = decode(a[2]!, `attribute ${a[1]}`);
      rest = rest.slice(a[0].length);
    }
    const element: XmlElement = { name: match[1]!, attributes, children: [], text: '' };
    if (stack.length) stack.at(-1)!.children.push(element);
    else if (root) throw new Error('not well-formed: more than one root');
    if (selfClosing) {
      if (!stack.length) root = element;
    } else stack.push(element);
  }
  if (stack.length) throw new Error(`not well-formed: <${stack.at(-1)!.name}> is never closed`);
  if (!root) throw new Error('not well-formed: no root element');
  return root;
}

export const childrenNamed = (e: XmlElement, name: string) => e.children.filter((c) => c.name === name);
export const childText = (e: XmlElement, name: string) => childrenNamed(e, name)[0]?.text;
