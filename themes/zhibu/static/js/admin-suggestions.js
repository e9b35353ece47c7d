// 意见建议 (templates/shortcodes/admin_suggestions.html; admins only): the members' signed
// suggestions, unanswered first (GET /api/admin/suggestions), each answered — or its answer
// corrected — in a one-field form (POST /api/admin/suggestions/{id}/answer); the member reads the
// answer on their page.

import { api, say, newKey } from "./api.js";
import { textForm } from "./file.js";
import { suggestionItem } from "./year.js";

export async function suggestions(box) {
  const status = box.querySelector("[data-status]");
  const waiting = box.querySelector("[data-waiting]");
  const done = box.querySelector("[data-done]");

  async function show() {
    const { suggestions: all } = await api("GET", "/api/admin/suggestions");
    const open = all.filter((s) => !s.answer);
    waiting.replaceChildren(
      ...open.map((s) => {
        const li = suggestionItem(s, { name: true, actions: answer });
        li.classList.add("review");
        return li;
      }),
    );
    done.replaceChildren(...all.filter((s) => s.answer).map((s) => suggestionItem(s, { name: true, actions: answer })));
    box.querySelector("[data-count]").textContent = open.length ? "（" + open.length + " 条）" : "";
    box.querySelector("[data-no-waiting]").hidden = open.length > 0;
    say(status, all.length ? "" : "还没有人提过意见建议。");
  }

  function answer(s) {
    let key = newKey();
    const form = textForm({
      id: "answer-" + s.id,
      label: s.answer ? "修改答复" : "答复",
      hint: "2000 字以内，本人会看到",
      button: s.answer ? "保存修改" : "答复",
      max: 2000,
      rows: 3,
      value: s.answer ? s.answer.body : "",
      onSend: async (text) => {
        try {
          await api("POST", "/api/admin/suggestions/" + encodeURIComponent(s.id) + "/answer", { json: { body: text }, key });
        } catch (err) {
          if (err.status) key = newKey();
          throw err;
        }
        await show();
        say(status, "已答复" + s.name + "的意见建议。", "ok");
      },
    });
    if (!s.answer) return form;
    const d = document.createElement("details");
    d.className = "person-road";
    const summary = document.createElement("summary");
    summary.textContent = "修改答复";
    d.append(summary, form);
    return d;
  }

  await show();
}
