// 谈心谈话 (templates/shortcodes/admin_talks.html; admins and committee members): the members'
// open requests (answer one by recording the talk, or close it), the form that records a talk
// held (POST /api/admin/talks, which closes the request it answers), the talks of a year and
// the members without a talk that year (GET /api/admin/talks?year=).

import { api, say, newKey } from "./api.js";
import { el, me, rosterOnce, remember } from "./admin-kit.js";
import { today, day, talkItem, requestItem } from "./file.js";

export async function talks(box) {
  const select = box.querySelector("#admin-talks-year");
  const status = box.querySelector("[data-status]");
  const requests = box.querySelector("[data-requests]");
  const form = box.querySelector("[data-record]");
  const formStatus = form.querySelector("[data-form-status]");
  const answering = form.querySelector("[data-answering]");
  const who = form.member_id;
  const thisYear = +today().slice(0, 4);
  const asked = +new URLSearchParams(location.search).get("year");

  select.replaceChildren(
    ...[thisYear, thisYear - 1, thisYear - 2].map((y) => {
      const o = el("option", "", y + "年");
      o.value = y;
      return o;
    }),
  );
  select.value = asked >= thisYear - 2 && asked <= thisYear ? asked : thisYear;
  form.held_on.max = today();
  form.held_on.value = today();

  let data = null;

  async function show() {
    say(status, "正在读取……", "wait");
    data = await api("GET", "/api/admin/talks?year=" + select.value);
    remember("year", data.year);
    box.querySelectorAll("[data-year]").forEach((y) => (y.textContent = data.year === thisYear ? "本年" : data.year + "年"));
    requests.replaceChildren(...data.open_requests.map(request));
    box.querySelector("[data-no-requests]").hidden = data.open_requests.length > 0;
    box.querySelector("[data-open-count]").textContent = data.open_requests.length ? "（" + data.open_requests.length + " 条）" : "";
    box.querySelector("[data-talks]").replaceChildren(...data.talks.map((t) => talkItem(t)));
    box.querySelector("[data-talk-count]").textContent = "（" + data.talks.length + " 次）";
    box.querySelector("[data-without]").replaceChildren(
      ...data.without_talk.map((m) => {
        const li = el("li", "", m.name);
        li.dataset.member = m.member_id;
        return li;
      }),
    );
    box.querySelector("[data-without-count]").textContent = "（" + data.without_talk.length + " 人）";
    await people();
    say(status, "每年至少和每位同志谈一次。");
  }

  /** The people a talk may be recorded with: the roster for admins; for a committee member (who
   *  cannot read the roster) everyone the year's list names. */
  async function people() {
    const chosen = who.value;
    let list;
    if (me.member.role === "admin") list = (await rosterOnce()).map((m) => ({ member_id: m.id, name: m.name }));
    else {
      const seen = new Map();
      data.without_talk.concat(data.talks, data.open_requests).forEach((m) => seen.set(m.member_id, m.name));
      list = Array.from(seen, ([member_id, name]) => ({ member_id, name }));
    }
    who.replaceChildren(
      ...list.map((m) => {
        const o = el("option", "", m.name + "（" + m.member_id + "）");
        o.value = m.member_id;
        return o;
      }),
    );
    if (chosen && list.some((m) => m.member_id === chosen)) who.value = chosen;
  }

  function request(r) {
    const actions = el("div", "form-actions");
    const answer = el("button", "button button-small", "记录这次谈话");
    answer.type = "button";
    answer.addEventListener("click", () => answerRequest(r));
    const close = el("button", "button button-quiet button-small", "关闭申请");
    close.type = "button";
    close.addEventListener("click", async () => {
      if (!window.confirm("关闭" + r.name + "的谈话申请，不记录谈话？（例如已经用别的方式解决）")) return;
      close.disabled = true;
      try {
        await api("POST", "/api/talks/requests/" + encodeURIComponent(r.id) + "/close", { json: {}, key: newKey() });
        if (form.request_id.value === r.id) notAnswering();
        await show();
        say(status, "已关闭" + r.name + "的谈话申请。", "ok");
      } catch (err) {
        close.disabled = false;
        say(status, err.message, "error");
      }
    });
    actions.append(answer, close);
    const li = requestItem(r, actions);
    li.classList.add("review");
    li.querySelector(".talk-head").prepend(el("strong", "note-author", r.name), " · ");
    return li;
  }

  function answerRequest(r) {
    form.request_id.value = r.id;
    who.value = r.member_id;
    who.disabled = true;
    form.querySelector('input[name=mode][value="' + r.mode + '"]').checked = true;
    if (r.topic && !form.topic.value) form.topic.value = r.topic.slice(0, 200);
    answering.replaceChildren("正在记录", el("strong", "", r.name), "申请的谈话。");
    const cancel = el("button", "button button-quiet button-small", "不关联申请");
    cancel.type = "button";
    cancel.addEventListener("click", notAnswering);
    answering.append(" ", cancel);
    answering.hidden = false;
    form.scrollIntoView({ block: "start" });
    form.held_on.focus();
  }

  function notAnswering() {
    form.request_id.value = "";
    who.disabled = false;
    answering.hidden = true;
  }

  let key = newKey();
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    const missing = ["held_on", "topic", "summary"].find((n) => !form[n].value.trim());
    if (missing) {
      say(formStatus, { held_on: "请填写谈话日期。", topic: "请填写主题。", summary: "请填写谈话摘要。" }[missing], "error");
      return form[missing].focus();
    }
    const button = form.querySelector("button[type=submit]");
    button.disabled = true;
    say(formStatus, "正在保存……", "wait");
    const json = {
      member_id: who.value,
      held_on: form.held_on.value,
      mode: form.querySelector("input[name=mode]:checked").value,
      topic: form.topic.value,
      summary: form.summary.value,
      follow_ups: form.follow_ups.value,
    };
    if (form.request_id.value) json.request_id = form.request_id.value;
    try {
      const { talk } = await api("POST", "/api/admin/talks", { json, key });
      key = newKey();
      ["topic", "summary", "follow_ups"].forEach((n) => (form[n].value = ""));
      notAnswering();
      await show();
      say(formStatus, "已保存和" + talk.name + "的谈话记录（" + day(talk.held_on) + "），本人可以看到。", "ok");
    } catch (err) {
      if (err.status) key = newKey();
      say(formStatus, err.message, "error");
      const input = err.field && form.elements[err.field];
      if (input && input.focus) input.focus();
    } finally {
      button.disabled = false;
    }
  });

  select.addEventListener("change", () => show().catch((err) => say(status, err.message, "error")));
  await show();
}
