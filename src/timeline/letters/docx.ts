import {Document, HeadingLevel, Packer, Paragraph, TextRun} from 'docx'

/**
 * A Word draft from the same Markdown subset, rendered WITHOUT HTML escaping (docx escapes XML itself).
 * Headings, bullets and paragraphs; table rows become tab-separated lines.
 */

function runs(text: string): TextRun[] {
  return text.split(/(\*\*.+?\*\*)/).filter((p) => p !== '').map((part) => (part.startsWith('**') && part.endsWith('**') ? new TextRun({text: part.slice(2, -2), bold: true}) : new TextRun(part)))
}

const HEADINGS = [HeadingLevel.HEADING_1, HeadingLevel.HEADING_2, HeadingLevel.HEADING_3] as const

export function markdownToParagraphs(markdown: string): Paragraph[] {
  const out: Paragraph[] = []
  for (const line of markdown.split('\n')) {
    const heading = /^(#{1,3}) (.*)$/.exec(line)
    if (heading !== null) out.push(new Paragraph({heading: HEADINGS[(heading[1]?.length ?? 1) - 1], children: runs(heading[2] ?? '')}))
    else if (line.startsWith('- ')) out.push(new Paragraph({bullet: {level: 0}, children: runs(line.slice(2))}))
    else if (/^\|[\s|:-]+\|$/.test(line)) continue
    else if (line.startsWith('|')) out.push(new Paragraph({children: runs(line.replace(/^\|\s*/, '').replace(/\s*\|$/, '').split(/\s*\|\s*/).join('\t'))}))
    else if (line.trim() !== '' && line.trim() !== '---') out.push(new Paragraph({children: runs(line)}))
  }
  return out
}

export async function letterDocx(title: string, markdown: string, disclaimer: string): Promise<Buffer> {
  const doc = new Document({
    title,
    creator: 'hipaa-ir',
    description: disclaimer,
    sections: [{children: [new Paragraph({children: [new TextRun({text: disclaimer, bold: true})]}), ...markdownToParagraphs(markdown)]}],
  })
  return Packer.toBuffer(doc)
}
