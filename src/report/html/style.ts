/** The report's inline stylesheet: system fonts only, nothing fetched. */
export const STYLE = `
body{font:13px/1.4 system-ui,-apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;color:#222;margin:16px 24px;max-width:1240px}
h1{font-size:20px;margin:0 0 4px}h2{font-size:16px;margin:22px 0 6px;border-bottom:1px solid #ddd}h3{font-size:14px;margin:12px 0 4px}
.desc{color:#555;margin:0 0 8px}.dim{color:#777}.none{color:#2e7d32}
dl.meta{display:grid;grid-template-columns:max-content auto;gap:2px 12px;margin:8px 0}dl.meta dt{color:#666}dl.meta dd{margin:0;font-weight:600}
pre.kernel{background:#f6f6f6;border:1px solid #e3e3e3;padding:6px 10px;margin:6px 0}
table{border-collapse:collapse;margin:4px 0 8px}th,td{border:1px solid #e0e0e0;padding:2px 8px;text-align:left;vertical-align:top}
th{background:#f3f3f3;font-weight:600}th,td.nw{white-space:nowrap}td.n{white-space:nowrap;text-align:right;font-variant-numeric:tabular-nums}
table.violation th{background:#fbe3e3}table.finding th{background:#fdf1dc}
.badge{display:inline-block;border-radius:8px;padding:0 7px;font-size:12px;color:#fff}.badge.violation{background:#c00000}.badge.finding{background:#d08000}
details{margin-top:2px}summary{cursor:pointer;color:#555}
.legend{display:flex;flex-wrap:wrap;gap:4px 16px;margin:6px 0}.legend i{display:inline-block;width:12px;height:10px;margin-right:5px;vertical-align:-1px}.legend i.diamond{width:9px;height:9px;transform:rotate(45deg)}
svg{display:block;max-width:100%;height:auto;font-size:11px}
svg .plot{fill:#fafafa;stroke:#ccc}svg .grid{stroke:#e6e6e6}svg .sep{stroke:#eee}
svg .tick{fill:#666;font-size:10px}svg .group{font-weight:600;fill:#222}svg .row{fill:#444}svg .row.phase,svg .row.events{fill:#777;font-style:italic}
svg .rate{fill:none;stroke:#1f77b4;stroke-width:1.5}svg .capacity{stroke:#c00000;stroke-dasharray:5 4}svg .cap{fill:#c00000;font-size:10px}
.note{color:#777;font-style:italic}
`;
