// Progress without reloading the page; the <meta refresh> covers browsers without JavaScript.
(function () {
  var box = document.getElementById("progress");
  if (!box) return;
  var bar = box.querySelector("progress"), stage = document.getElementById("stage");
  function poll() {
    fetch(box.dataset.statusUrl, {credentials: "same-origin"}).then(function (r) { return r.json(); }).then(function (s) {
      bar.value = s.percent; stage.textContent = s.stage;
      if (s.finished) { window.location.reload(); } else { setTimeout(poll, 1000); }
    }).catch(function () { setTimeout(poll, 3000); });
  }
  setTimeout(poll, 500);
})();
