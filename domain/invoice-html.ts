// The printable HTML invoice (CGI art. 242 nonies A; Code de commerce L441-9, L441-10, D441-5):
// a self-contained A4 document printing every mandatory mention computed by invoice-mentions.ts.
// Every interpolated value is escaped (invoice-markup.ts). No I/O, no Node built-ins.
import { formatRateBp, type VatRate } from './vat';
import { formatEur, formatEurE4 } from './money';
import type { ComputedLine } from './invoice-math';
import type { InvoiceMentions, PartyMentions, PostalAddress } from './invoice-mentions';
import { blank, Markup, markup } from './invoice-markup';

function frDate(iso: string): string {
  const [y, m, d] = iso.split('-');
  return `${d}/${m}/${y}`;
}

function rateLabel(rate: VatRate): string {
  if (rate.category === 'AE') return `${formatRateBp(rate.rateBp)} (autoliquidation)`;
  if (rate.category === 'O') return 'Non applicable';
  return formatRateBp(rate.rateBp);
}

function addressHtml(a: PostalAddress): Markup {
  return markup`${a.lines.filter((l) => !blank(l)).map((l) => markup`${l}<br>`)}${a.postalCode} ${a.city}<br>${a.country}`;
}

function partyHtml(role: string, p: PartyMentions): Markup {
  return markup`<section class="party">
<h2>${role}</h2>
<p class="name">${p.name}${p.legalForm && !p.capital ? markup` (${p.legalForm})` : ''}</p>
<p>${addressHtml(p.address)}</p>
${p.capital ? markup`<p>${p.capital}</p>` : ''}
${p.rcs ? markup`<p>${p.rcs}</p>` : ''}
${p.siren ? markup`<p>SIREN : ${p.siren}</p>` : ''}
${p.vatNumber ? markup`<p>N° TVA intracommunautaire : ${p.vatNumber}</p>` : ''}
</section>`;
}

function unitPriceText(l: ComputedLine): string {
  if (l.unitPriceE4 !== null) return formatEurE4(l.unitPriceE4);
  if (l.unitPriceCents !== null) return formatEur(l.unitPriceCents);
  return '—';
}

const STYLE = `
body{font-family:Helvetica,Arial,sans-serif;font-size:10pt;color:#111;margin:2cm}
header{display:flex;justify-content:space-between;align-items:flex-start}
h1{font-size:18pt;margin:0 0 .3em}
h2{font-size:10pt;text-transform:uppercase;color:#555;margin:0 0 .3em}
.parties{display:flex;gap:2cm;margin:1.5em 0}
.party{flex:1}
.party p{margin:.15em 0}
.name{font-weight:bold}
table{width:100%;border-collapse:collapse;margin:1em 0}
th,td{border-bottom:1px solid #ccc;padding:.35em .5em;text-align:left;vertical-align:top}
td.num,th.num{text-align:right;white-space:nowrap}
.totals{width:auto;margin-left:auto}
.totals th{text-align:left;font-weight:normal}
.totals tr.grand th,.totals tr.grand td{font-weight:bold;border-top:2px solid #111}
.legal{font-size:8.5pt;color:#333;margin-top:2em}
.legal p{margin:.25em 0}
@media print{body{margin:0}}
`;

/** The HTML document of mentions already computed and checked (renderInvoiceHtml). */
export function invoiceHtml(m: InvoiceMentions): string {
  const lineRows = m.lines.map(
    (l) => markup`<tr>
<td>${l.description}</td>
<td class="num">${l.quantity ?? '—'}</td>
<td class="num">${unitPriceText(l)}</td>
<td class="num">${rateLabel(l.vatRate)}</td>
<td class="num">${formatEur(l.net)}</td>
</tr>`,
  );
  const rateRows = m.perRate.map(
    (r) => markup`<tr><th>Base HT ${rateLabel(r.rate)}</th><td class="num">${formatEur(r.base)}</td></tr>
<tr><th>TVA ${rateLabel(r.rate)}</th><td class="num">${formatEur(r.vat)}</td></tr>`,
  );
  const page = markup`<!DOCTYPE html>
<html lang="fr">
<head>
<meta charset="utf-8">
<title>${m.title} ${m.number}</title>
<style>${new Markup(STYLE)}</style>
</head>
<body>
<header>
<div>
<h1>${m.title} n° ${m.number}</h1>
<p>Date d'émission : ${frDate(m.issueDate)}</p>
<p>Date d'échéance : ${frDate(m.dueDate)}</p>
${m.servicePeriod ? markup`<p>Période de prestation : du ${frDate(m.servicePeriod.from)} au ${frDate(m.servicePeriod.to)}</p>` : ''}
${m.correctedInvoice ? markup`<p>Avoir sur la facture n° ${m.correctedInvoice.number} du ${frDate(m.correctedInvoice.issueDate)}</p>` : ''}
</div>
</header>
<div class="parties">
${partyHtml('Émetteur', m.seller)}
${partyHtml('Client', m.buyer)}
</div>
<table class="lines">
<thead><tr><th>Désignation</th><th class="num">Quantité</th><th class="num">Prix unitaire HT</th><th class="num">TVA</th><th class="num">Montant HT</th></tr></thead>
<tbody>
${lineRows}
</tbody>
</table>
<table class="totals">
<tbody>
${rateRows}
<tr><th>Total HT</th><td class="num">${formatEur(m.net)}</td></tr>
<tr><th>Total TVA</th><td class="num">${formatEur(m.vat)}</td></tr>
<tr class="grand"><th>Total TTC</th><td class="num">${formatEur(m.total)}</td></tr>
</tbody>
</table>
<section class="legal">
${m.vatMentions.map((t) => markup`<p class="vat-mention">${t}</p>`)}
<p>${m.operationCategory}</p>
${m.vatOnDebits ? markup`<p>${m.vatOnDebits}</p>` : ''}
<p>${m.paymentTerms}</p>
<p>${m.noDiscount}</p>
<p>${m.latePenalty}</p>
<p>${m.recoveryIndemnity}</p>
</section>
</body>
</html>
`;
  return page.value;
}
