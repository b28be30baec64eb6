// Better with JavaScript: no double submission, and a jump to the first unanswered question.
(function () {
  document.querySelectorAll("form").forEach(function (form) {
    form.addEventListener("submit", function () {
      var button = form.querySelector("button[type=submit], button:not([type])");
      if (button) { setTimeout(function () { button.disabled = true; }, 0); }
    });
  });
  var first = document.querySelector(".question.invalid input");
  if (first) { first.focus(); }
})();
