// A branch quiz round (测一测): everyone answers alone (POST /api/quizzes/{id}/answers, the
// first answer stands); once the round has closed or an admin has revealed it, each question
// shows the anonymous distribution of answers, and folded below it the official answer with
// its source, to open after the discussion (GET /api/quizzes/{id}). No score, no ranking.

import { session, api, submit, say, when } from "./api.js";

const LETTERS = "ABCDEFGH";

document.querySelectorAll("[data-zhibu=quiz]").forEach(setUp);

function el(tag, cls, text) {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined) e.textContent = text;
  return e;
}

function setUp(box) {
  const id = box.dataset.quiz;
  const path = "/api/quizzes/" + encodeURIComponent(id);
  const form = box.querySelector("form");
  const status = form.querySelector(".form-status");
  const button = form.querySelector("button[type=submit]");
  const reveal = form.querySelector("[data-reveal]");
  const badge = box.querySelector("[data-state]");
  const questions = Array.from(form.querySelectorAll("[data-q]"));
  const s = session();

  function mark(text, done) {
    badge.textContent = text;
    badge.className = done ? "badge" : "badge badge-gold";
    badge.hidden = false;
  }
  const now = Date.now();
  const opens = Date.parse(box.dataset.opens);
  const closes = Date.parse(box.dataset.closes);
  mark(now < opens ? "未开始" : now >= closes ? "已结束" : "进行中");
  if (!s) return;

  const load = () => api("GET", path).then(render, (err) => say(status, err.message, "error"));
  load();

  function render(d) {
    const q = d.quiz;
    const open = q.state === "open" && !q.revealed && !d.mine;
    // Admins see the distribution while the round runs, to choose when to reveal it.
    const preview = q.state === "open" && !q.revealed;
    form.querySelectorAll("input[type=radio]").forEach((r) => (r.disabled = !open));
    button.disabled = !open;
    button.hidden = !open;
    reveal.hidden = !(s.member.role === "admin" && preview);
    if (d.mine) {
      d.mine.answers.forEach((a, i) => {
        const r = questions[i] && questions[i].querySelector('input[value="' + a + '"]');
        if (r) r.checked = true;
      });
    }
    if (d.results) showResults(d.results, d.mine);
    if (d.results && !preview) {
      mark(q.state === "closed" ? "已结束" : "已公布", true);
      say(status, "共 " + d.results.respondents + " 人作答。先看看大家的选择、讨论一下，再点开每题下面的标准答案和出处。");
    } else if (d.mine) {
      mark("已作答", true);
      say(status, "您已于 " + when(d.mine.at) + " 提交，以第一次为准。作答结束或支部公布后，这里会显示大家的选择分布。", "ok");
    } else if (q.state === "not_open") {
      say(status, "测一测将于 " + when(q.opens) + " 开始。");
    } else if (q.state === "closed") {
      say(status, "本次测一测已经结束。");
    }
    if (d.results && preview) {
      say(status, "（仅管理员可见）目前共 " + d.results.respondents + " 人作答。讨论之后点“公布结果”，大家才能看到选择分布和答案。");
    }
  }

  function showResults(r, mine) {
    r.questions.forEach((res, i) => {
      const target = questions[i] && questions[i].querySelector("[data-result]");
      if (!target) return;
      const nodes = [el("p", "", "大家的选择（共 " + r.respondents + " 人）：")];
      res.counts.forEach((n, j) => {
        const row = el("div", "quiz-bar");
        const bar = el("progress");
        bar.max = Math.max(1, r.respondents);
        bar.value = n;
        const mineHere = mine && mine.answers[i] === j + 1;
        row.append(el("span", "", LETTERS[j]), bar, el("span", "", n + " 人" + (mineHere ? "（含我）" : "")));
        nodes.push(row);
      });
      const official = el("details", "quiz-official");
      official.append(el("summary", "", "讨论之后，查看标准答案和出处"));
      const answer = el("p");
      answer.append(el("strong", "", "答案：" + LETTERS[res.answer - 1] + ". " + res.options[res.answer - 1]));
      if (mine) answer.append(mine.answers[i] === res.answer ? "（您选对了）" : "（您选的是 " + LETTERS[mine.answers[i] - 1] + "）");
      official.append(answer, el("p", "quiz-source", "出处：" + res.source));
      if (res.explain) official.append(el("p", "", res.explain));
      nodes.push(official);
      target.replaceChildren(...nodes);
      target.hidden = false;
    });
  }

  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    const answers = [];
    for (const q of questions) {
      const picked = q.querySelector("input:checked");
      if (!picked) {
        // Said where the focus goes, beside the question, as well as under the button.
        const text = "第 " + q.dataset.q + " 题还没有作答。";
        say(status, text, "error");
        let hint = q.querySelector(".quiz-missing");
        if (!hint) {
          hint = el("p", "quiz-missing is-error");
          hint.id = "quiz-missing-" + id + "-" + q.dataset.q;
          q.querySelector("fieldset").append(hint);
          q.querySelector("fieldset").setAttribute("aria-describedby", hint.id);
          q.addEventListener("change", () => (hint.hidden = true));
        }
        hint.textContent = text + "请选择一项。";
        hint.hidden = false;
        const first = q.querySelector("input");
        first.focus({ preventScroll: true });
        return q.scrollIntoView({ block: "center" });
      }
      answers.push(+picked.value);
    }
    button.disabled = true;
    say(status, "正在提交……", "wait");
    try {
      const r = await submit({ method: "POST", path: path + "/answers", what: "测一测答案", json: { answers } });
      if (r.queued) say(status, "网络未连接：答案已保存在本机，联网后自动提交，不会重复。", "wait");
    } catch (err) {
      button.disabled = false;
      say(status, err.message, "error");
    }
  });

  // Answers sent now or kept from before: show them as the API has them.
  window.addEventListener("zhibu:sent", (e) => {
    const { item, error } = e.detail;
    if (item.path !== path + "/answers") return;
    if (error) say(status, "答案未能提交：" + error.message, "error");
    else load();
  });

  reveal.addEventListener("click", () => {
    if (!window.confirm("公布后，所有人都能看到选择分布和标准答案，且不再接收作答。确定公布吗？")) return;
    api("POST", path + "/reveal").then(render, (err) => say(status, err.message, "error"));
  });
}
