import {Document, HeadingLevel, Packer, Paragraph, Table, TableCell, TableRow, TextRun, WidthType} from 'docx'

import {cleanText} from '../render/escape.js'
import {type Block, parseBlocks, type Span} from './markdown-blocks.js'

/**
 * A Word draft from the same Markdown as the .md and .html drafts (docx escapes XML itself):
 * headings, paragraphs, bullets, numbered items, quotes and real Word tables.
 */

function runs(spans: readonly Span[], lineBreakBefore = false): TextRun[] {
  return spans.map((s, i) => new TextRun({text: cleanText(s.text), ...(s.bold === true ? {bold: true} : {}), ...(s.italic === true ? {italics: true} : {}), ...(s.code === true ? {font: 'Consolas'} : {}), ...(lineBreakBefore && i === 0 ? {break: 1} : {})}))
}

const HEADINGS = [HeadingLevel.HEADING_1, HeadingLevel.HEADING_2, HeadingLevel.HEADING_3, HeadingLevel.HEADING_4, HeadingLevel.HEADING_5, HeadingLevel.HEADING_6] as const

function lines(spanLines: readonly Span[][]): TextRun[] {
  return spanLines.flatMap((l, i) => runs(l.length === 0 ? [{text: ''}] : l, i > 0))
}

function table(block: Extract<Block, {kind: 'table'}>): Table {
  const row = (cells: Span[][], header: boolean): TableRow =>
    new TableRow({tableHeader: header, children: cells.map((c) => new TableCell({children: [new Paragraph({children: runs(header ? c.map((s) => ({...s, bold: true})) : c)})]}))})
  return new Table({width: {size: 100, type: WidthType.PERCENTAGE}, rows: [row(block.head, true), ...block.rows.map((r) => row(r, false))]})
}

export function markdownToDocx(markdown: string): Array<Paragraph | Table> {
  const out: Array<Paragraph | Table> = []
  for (const block of parseBlocks(markdown)) {
    if (block.kind === 'heading') out.push(new Paragraph({heading: HEADINGS[Math.min(block.level, 6) - 1], children: runs(block.spans)}))
    else if (block.kind === 'paragraph') out.push(new Paragraph({children: lines(block.lines)}))
    else if (block.kind === 'quote') out.push(new Paragraph({indent: {left: 720}, children: lines(block.lines)}))
    else if (block.kind === 'list') for (const item of block.items) out.push(new Paragraph({bullet: {level: item.level}, children: runs(block.ordered ? [{text: ''}, ...item.spans] : item.spans)}))
    else if (block.kind === 'table') out.push(table(block), new Paragraph({children: []}))
  }
  return out
}

export async function letterDocx(title: string, markdown: string, disclaimer: string): Promise<Buffer> {
  const doc = new Document({
    title: cleanText(title),
    creator: 'hipaa-ir',
    description: cleanText(disclaimer),
    sections: [{children: [new Paragraph({children: [new TextRun({text: cleanText(disclaimer), bold: true})]}), ...markdownToDocx(markdown)]}],
  })
  return Packer.toBuffer(doc)
}
