export const widgetCss = `
:host{all:initial}
*{box-sizing:border-box;font-family:system-ui,'PingFang SC','Microsoft YaHei',sans-serif}
.btn{position:fixed;right:24px;bottom:24px;z-index:2147483000;background:#ff5000;color:#fff;border:0;border-radius:24px;padding:12px 20px;font-size:15px;cursor:pointer;box-shadow:0 4px 12px rgba(0,0,0,.2)}
.panel{position:fixed;right:24px;bottom:24px;z-index:2147483001;width:360px;max-width:calc(100vw - 32px);height:540px;max-height:calc(100vh - 48px);background:#fff;border-radius:12px;box-shadow:0 8px 30px rgba(0,0,0,.25);display:flex;flex-direction:column;overflow:hidden}
.hidden{display:none}
.head{background:#ff5000;color:#fff;padding:12px 16px;display:flex;justify-content:space-between;align-items:center}
.head b{font-size:15px}.head button{background:none;border:0;color:#fff;font-size:18px;cursor:pointer}
.banner{background:#fff7e6;color:#ad6800;font-size:12px;padding:6px 12px}
.list{flex:1;overflow-y:auto;padding:12px;background:#f7f7f7}
.older{display:block;margin:0 auto 8px;border:0;background:none;color:#1677ff;cursor:pointer;font-size:12px}
.older.hidden{display:none}
.row{display:flex;margin:6px 0}.row.me{justify-content:flex-end}
.row>div{max-width:78%;min-width:0}
.bubble{max-width:100%;display:inline-block;padding:8px 12px;border-radius:10px;font-size:14px;line-height:1.5;white-space:pre-wrap;word-break:break-word;background:#fff;color:#222}
.me .bubble{background:#ff5000;color:#fff}
.sys{justify-content:center}.sys .bubble{background:none;color:#888;font-size:12px;text-align:center}
.bubble img{max-width:200px;border-radius:6px;display:block}
.meta{font-size:11px;color:#999;margin:2px 4px 0;text-align:right}
.name{font-size:11px;color:#999;margin:0 4px 2px}
.typing{font-size:12px;color:#888;padding:0 12px 4px;min-height:18px}
.counter{font-size:12px;color:#999;padding:0 8px;text-align:right}
.counter:empty{display:none}
.counter.over{color:#ff4d4f}
.compose{display:flex;gap:6px;border-top:1px solid #eee;padding:8px}
.compose textarea{flex:1;resize:none;border:1px solid #ddd;border-radius:6px;padding:6px 8px;font-size:14px;height:40px}
.compose button{border:0;border-radius:6px;background:#ff5000;color:#fff;padding:0 14px;cursor:pointer}
.compose .img{background:#f0f0f0;color:#333}
.offer{border-bottom:1px solid #eee;padding:8px 12px;display:flex;flex-direction:column;gap:6px;background:#fffbf5}
.offer.hidden{display:none}
.offer p{margin:0;font-size:12px;color:#ad6800}
.offer textarea,.offer input{border:1px solid #ddd;border-radius:6px;padding:6px 8px;font-size:13px;width:100%}
.offer textarea{resize:none;height:56px}
.offer [aria-invalid="true"]{border-color:#ff4d4f}
.offer .err{font-size:12px;color:#ff4d4f}
.offer .err:empty{display:none}
.offer .actions{display:flex;gap:6px;justify-content:flex-end}
.offer button{border:0;border-radius:6px;padding:6px 12px;cursor:pointer;font-size:13px;background:#ff5000;color:#fff}
.offer button.secondary{background:#f0f0f0;color:#333}
.offer button.hidden{display:none}
.offer button:disabled{opacity:.6;cursor:default}
`;
