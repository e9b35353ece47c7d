// 发展纪实 (templates/shortcodes/admin_joining.html; admins and committee members read it, admins
// record): everyone on the road into the Party in roster order — stage, contact persons, next
// step and what it needs, every warning of their record (GET /api/admin/joining) — with the
// milestones recorded so far and the whole timeline folded; and, for admins, the form that
// records a milestone (POST /api/members/{id}/joining) and a way to remove one recorded by
// mistake (DELETE /api/members/{id}/joining/{milestone}). Warnings are facts for the secretary
// to act on, shown plainly: no red counters.

import { api, say, newKey } from "./api.js";
import { el, me, rosterOnce } from "./admin-kit.js";
import { time, today, day, timeline, roadFacts } from "./file.js";

export async function joining(box) {
  const status = box.querySelector("[data-status]");
  const list = box.querySelector(".people-list");
  const form = box.querySelector("[data-record]");
  const formStatus = form.querySelector("[data-form-status]");
  const admin = me.member.role === "admin";
  let people = [];

  async function show() {
    say(status, "正在读取……", "wait");
    people = (await api("GET", "/api/admin/joining")).people;
    list.replaceChildren(...people.map(card));
    const warned = people.filter((p) => p.warnings && p.warnings.length).length;
    say(status, people.length ? "共 " + people.length + " 人在发展过程中" + (warned ? "，其中 " + warned + " 人有需要办理的提示。" : "。") : "名册中还没有入党申请人、积极分子、发展对象或预备党员。");
  }

  function card(p) {
    const li = el("li", "person-card");
    li.dataset.member = p.member_id;
    const head = el("h3", "person-name", p.name);
    li.append(head, roadFacts(p));
    if (p.next) {
      const next = el("p", "person-next");
      next.append(el("strong", "", "下一步：" + p.next.label), "（" + p.next.needs + "）");
      li.append(next);
    } else li.append(el("p", "person-next", "发展程序已全部完成。"));
    if (p.warnings && p.warnings.length) {
      const ul = el("ul", "warnings");
      ul.setAttribute("aria-label", p.name + "：需要办理的提示");
      p.warnings.forEach((w) => {
        const item = el("li", "warning", w.message);
        item.dataset.code = w.code;
        ul.append(item);
      });
      li.append(ul);
    }
    const done = p.steps.filter((s) => s.date);
    if (done.length) {
      const ol = el("ol", "recorded");
      done.forEach((s) => {
        const item = el("li");
        item.dataset.milestone = s.milestone;
        item.append(time(s.date, true), " " + s.label + (s.note ? "（" + s.note + "）" : ""));
        if (admin) {
          const remove = el("button", "button button-quiet button-small", "删除");
          remove.type = "button";
          remove.setAttribute("aria-label", "删除" + p.name + "的“" + s.label + "”");
          remove.addEventListener("click", () => removeStep(p, s, remove));
          item.append(" ", remove);
        }
        ol.append(item);
      });
      li.append(ol);
    }
    const whole = el("details", "person-road");
    whole.append(el("summary", "", "完整进程"), timeline(p));
    li.append(whole);
    return li;
  }

  async function removeStep(p, s, button) {
    if (!window.confirm("删除" + p.name + "的“" + s.label + "”（" + day(s.date) + "）？只用于更正登记错误。")) return;
    button.disabled = true;
    try {
      await api("DELETE", "/api/members/" + encodeURIComponent(p.member_id) + "/joining/" + s.milestone);
      await show();
      say(status, "已删除" + p.name + "的“" + s.label + "”。", "ok");
    } catch (err) {
      button.disabled = false;
      say(status, err.message, "error");
    }
  }

  await show();
  if (!admin) return;

  // The form: anyone in the roster (a new applicant has no record yet), the 19 milestones
  // grouped by stage, the person's next one chosen.
  const roster = await rosterOnce();
  const who = form.member_id;
  who.replaceChildren(
    ...roster.map((m) => {
      const o = el("option", "", m.name + "（" + m.id + "）");
      o.value = m.id;
      return o;
    }),
  );
  const steps = (people[0] || (await api("GET", "/api/joining/mine")).joining).steps;
  const milestone = form.milestone;
  let group = null;
  steps.forEach((s) => {
    if (!group || group.label !== s.stage_label) {
      group = el("optgroup");
      group.label = s.stage_label;
      milestone.append(group);
    }
    const o = el("option", "", s.label);
    o.value = s.milestone;
    group.append(o);
  });
  const pickNext = () => {
    const p = people.find((x) => x.member_id === who.value);
    milestone.value = p && p.next ? p.next.milestone : "applied";
  };
  if (people.length) who.value = people[0].member_id;
  pickNext();
  who.addEventListener("change", pickNext);
  form.date.max = today();
  form.date.value = today();
  form.hidden = false;

  let key = newKey();
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    if (!form.date.value) {
      say(formStatus, "请填写日期。", "error");
      return form.date.focus();
    }
    const button = form.querySelector("button[type=submit]");
    button.disabled = true;
    say(formStatus, "正在登记……", "wait");
    const json = { milestone: milestone.value, date: form.date.value, note: form.note.value };
    const name = who.selectedOptions[0].textContent;
    const label = milestone.selectedOptions[0].textContent;
    try {
      await api("POST", "/api/members/" + encodeURIComponent(who.value) + "/joining", { json, key });
      key = newKey();
      form.note.value = "";
      await show();
      pickNext();
      say(formStatus, "已登记：" + name + " · " + label + " · " + day(json.date) + "。", "ok");
      const shown = list.querySelector('[data-member="' + who.value + '"]');
      if (shown) shown.scrollIntoView({ block: "nearest" });
    } catch (err) {
      if (err.status) key = newKey();
      say(formStatus, err.message, "error");
      const input = err.field && form.elements[err.field];
      if (input) input.focus();
    } finally {
      button.disabled = false;
    }
  });
}
