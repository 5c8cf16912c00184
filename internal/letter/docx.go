package letter

import (
	"archive/zip"
	"encoding/xml"
	"io"
	"strings"
	"time"
)

// DOCX writes the letter as a Word document: plain WordprocessingML in a
// zip (archive/zip and the few parts Word needs), in the fonts and sizes of
// an official letter — 仿宋 三号 body, 小标宋 二号 title, 黑体 headings —
// so a reviewer edits it in Word or WPS and sends it.
func (l *Letter) DOCX(w io.Writer) error {
	z := zip.NewWriter(w)
	parts := []struct{ name, body string }{
		{"[Content_Types].xml", contentTypes},
		{"_rels/.rels", rootRels},
		{"word/_rels/document.xml.rels", documentRels},
		{"word/styles.xml", styles},
		{"docProps/core.xml", l.core()},
		{"word/document.xml", l.document()},
	}
	for _, p := range parts {
		f, err := z.CreateHeader(&zip.FileHeader{Name: p.name, Method: zip.Deflate, Modified: time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)})
		if err != nil {
			return err
		}
		if _, err := io.WriteString(f, p.body); err != nil {
			return err
		}
	}
	return z.Close()
}

const xmlHeader = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n"

const contentTypes = xmlHeader + `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
	`<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>` +
	`<Default Extension="xml" ContentType="application/xml"/>` +
	`<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>` +
	`<Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>` +
	`<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>` +
	`</Types>`

const rootRels = xmlHeader + `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
	`<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>` +
	`<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>` +
	`</Relationships>`

const documentRels = xmlHeader + `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
	`<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>` +
	`</Relationships>`

// styles: sizes in half-points (三号 16 pt = 32, 二号 22 pt = 44), a fixed
// line pitch of 28 pt (560 twentieths) as official documents use.
const styles = xmlHeader + `<w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">` +
	`<w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii="Times New Roman" w:hAnsi="Times New Roman" w:eastAsia="仿宋_GB2312" w:cs="Times New Roman"/>` +
	`<w:sz w:val="32"/><w:szCs w:val="32"/><w:lang w:val="en-US" w:eastAsia="zh-CN"/></w:rPr></w:rPrDefault>` +
	`<w:pPrDefault><w:pPr><w:spacing w:line="560" w:lineRule="exact"/><w:jc w:val="both"/></w:pPr></w:pPrDefault></w:docDefaults>` +
	`<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/></w:style>` +
	`<w:style w:type="paragraph" w:styleId="Title"><w:name w:val="Title"/><w:basedOn w:val="Normal"/><w:pPr><w:jc w:val="center"/><w:spacing w:before="240" w:after="240" w:line="700" w:lineRule="exact"/></w:pPr>` +
	`<w:rPr><w:rFonts w:eastAsia="方正小标宋简体"/><w:sz w:val="44"/><w:szCs w:val="44"/></w:rPr></w:style>` +
	`<w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/><w:basedOn w:val="Normal"/><w:pPr><w:keepNext/><w:ind w:firstLine="640"/><w:outlineLvl w:val="0"/></w:pPr>` +
	`<w:rPr><w:rFonts w:eastAsia="黑体"/></w:rPr></w:style>` +
	`<w:style w:type="paragraph" w:styleId="Heading2"><w:name w:val="heading 2"/><w:basedOn w:val="Normal"/><w:pPr><w:keepNext/><w:ind w:firstLine="640"/><w:outlineLvl w:val="1"/></w:pPr>` +
	`<w:rPr><w:rFonts w:eastAsia="楷体_GB2312"/><w:b/></w:rPr></w:style>` +
	`<w:style w:type="paragraph" w:styleId="Body"><w:name w:val="Body Text Indent"/><w:basedOn w:val="Normal"/><w:pPr><w:ind w:firstLine="640"/></w:pPr></w:style>` +
	`<w:style w:type="paragraph" w:styleId="Quote"><w:name w:val="Quote"/><w:basedOn w:val="Normal"/><w:pPr><w:ind w:left="640" w:firstLine="640"/><w:spacing w:line="400" w:lineRule="exact"/></w:pPr>` +
	`<w:rPr><w:rFonts w:eastAsia="楷体_GB2312"/><w:sz w:val="28"/><w:szCs w:val="28"/></w:rPr></w:style>` +
	`<w:style w:type="table" w:styleId="Grid"><w:name w:val="Table Grid"/><w:tblPr><w:tblBorders>` +
	`<w:top w:val="single" w:sz="4" w:space="0" w:color="000000"/><w:left w:val="single" w:sz="4" w:space="0" w:color="000000"/>` +
	`<w:bottom w:val="single" w:sz="4" w:space="0" w:color="000000"/><w:right w:val="single" w:sz="4" w:space="0" w:color="000000"/>` +
	`<w:insideH w:val="single" w:sz="4" w:space="0" w:color="000000"/><w:insideV w:val="single" w:sz="4" w:space="0" w:color="000000"/>` +
	`</w:tblBorders></w:tblPr></w:style>` +
	`</w:styles>`

func (l *Letter) core() string {
	return xmlHeader + `<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" ` +
		`xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>` + esc(l.Title) + `</dc:title><dc:subject>` + esc(l.Subject) +
		`</dc:subject><dc:creator>` + esc(l.Reviewer) + `</dc:creator></cp:coreProperties>`
}

// document is the body: the letter's parts in order, then an A4 page with
// the margins of an official document.
func (l *Letter) document() string {
	var b strings.Builder
	b.WriteString(xmlHeader + `<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>`)
	p := func(style, text string) { para(&b, style, "", text) }
	p("Title", l.Title)
	para(&b, "Normal", "center", l.Subject)
	p("Normal", l.Addressee)
	p("Body", l.Opening)
	p("Heading1", "一、基本情况")
	table(&b, l.Figures)
	p("Heading1", "二、审核发现的问题")
	if len(l.Findings) == 0 {
		p("Body", "未发现需要整改的问题。")
	}
	for i, it := range l.Findings {
		p("Heading2", "（"+chineseNumber(i+1)+"）"+it.Heading)
		p("Body", it.Message)
		for _, f := range it.Figures {
			p("Quote", f)
		}
		for _, e := range it.Evidence {
			p("Quote", e)
		}
		if it.Comment != "" {
			p("Body", "审核意见："+it.Comment)
		}
	}
	p("Heading1", "三、整改要求")
	for i, it := range l.Findings {
		p("Body", itoa(i+1)+"．"+it.Heading+"："+it.Correction)
	}
	for _, c := range l.Closing {
		p("Body", c)
	}
	if len(l.Fixed) > 0 {
		p("Heading1", "四、已整改事项")
		for i, it := range l.Fixed {
			p("Body", itoa(i+1)+"．"+it.Heading+"："+it.Message+"（已整改）")
		}
	}
	para(&b, "Normal", "", "")
	para(&b, "Normal", "right", "审核人："+l.Reviewer)
	para(&b, "Normal", "right", l.Date)
	b.WriteString(`<w:sectPr><w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="2098" w:right="1474" w:bottom="1984" w:left="1588" w:header="851" w:footer="992" w:gutter="0"/></w:sectPr>`)
	b.WriteString(`</w:body></w:document>`)
	return b.String()
}

// para writes one paragraph of a style, aligned as given ("" for the
// style's own).
func para(b *strings.Builder, style, align, text string) {
	b.WriteString(`<w:p><w:pPr><w:pStyle w:val="` + style + `"/>`)
	if align != "" {
		b.WriteString(`<w:jc w:val="` + align + `"/>`)
	}
	b.WriteString(`</w:pPr>`)
	if text != "" {
		b.WriteString(`<w:r><w:t xml:space="preserve">` + esc(text) + `</w:t></w:r>`)
	}
	b.WriteString(`</w:p>`)
}

// table writes the figures two to a row: label, value, label, value.
func table(b *strings.Builder, fields []Field) {
	b.WriteString(`<w:tbl><w:tblPr><w:tblStyle w:val="Grid"/><w:tblW w:w="5000" w:type="pct"/></w:tblPr>` +
		`<w:tblGrid><w:gridCol w:w="1800"/><w:gridCol w:w="2700"/><w:gridCol w:w="1800"/><w:gridCol w:w="2700"/></w:tblGrid>`)
	for i := 0; i < len(fields); i += 2 {
		b.WriteString(`<w:tr>`)
		for j := i; j < i+2; j++ {
			label, value := "", ""
			if j < len(fields) {
				label, value = fields[j].Label, fields[j].Value
			}
			cell(b, label, true)
			cell(b, value, false)
		}
		b.WriteString(`</w:tr>`)
	}
	b.WriteString(`</w:tbl>`)
}

func cell(b *strings.Builder, text string, bold bool) {
	b.WriteString(`<w:tc><w:p><w:pPr><w:spacing w:line="400" w:lineRule="exact"/></w:pPr><w:r><w:rPr>`)
	if bold {
		b.WriteString(`<w:b/>`)
	}
	b.WriteString(`<w:sz w:val="28"/></w:rPr><w:t xml:space="preserve">` + esc(text) + `</w:t></w:r></w:p></w:tc>`)
}

// esc escapes text for XML and drops the characters XML 1.0 cannot hold
// (a report's text may carry control characters).
func esc(s string) string {
	s = strings.Map(func(r rune) rune {
		if r < 0x20 && r != '\t' && r != '\n' && r != '\r' || r == 0xFFFE || r == 0xFFFF {
			return -1
		}
		return r
	}, s)
	var b strings.Builder
	xml.EscapeText(&b, []byte(s))
	return b.String()
}

// chineseNumber is 一 … 九十九, as headings number their items.
func chineseNumber(n int) string {
	digits := []string{"", "一", "二", "三", "四", "五", "六", "七", "八", "九"}
	switch {
	case n <= 0 || n >= 100:
		return itoa(n)
	case n < 10:
		return digits[n]
	case n < 20:
		return "十" + digits[n%10]
	default:
		return digits[n/10] + "十" + digits[n%10]
	}
}
