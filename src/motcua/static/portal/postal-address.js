// The postal address forms of the submission (portal/submit/step_nhan-ket-qua.html): the ward
// list follows the province (GET /buu-chinh/xa-phuong/?tinh=<code>), the postage follows the
// zone, and an address block shows only when its choice is made. Without this script the page
// still works: every address is checked by the server and a button refreshes the ward list.
(function () {
  "use strict";
  var form = document.querySelector("form[data-postal-home]");
  if (!form) return;
  var home = form.getAttribute("data-postal-home");
  var rates = { intra: form.getAttribute("data-postal-intra"), inter: form.getAttribute("data-postal-inter") };
  var none = form.getAttribute("data-postal-none");

  function vnd(amount) {
    return String(amount).replace(/\B(?=(\d{3})+(?!\d))/g, ".") + " đ";
  }

  function showPostage(block, province) {
    var out = block.querySelector("[data-postal-postage]");
    if (!out || !province) return;
    var zone = home && Number(province) === Number(home) ? "intra" : "inter";
    out.textContent = rates[zone] ? vnd(rates[zone]) : none;
  }

  function fillWards(select, wards) {
    var first = select.options[0];
    select.innerHTML = "";
    select.appendChild(first);
    wards.forEach(function (ward) {
      var option = document.createElement("option");
      option.value = ward.code;
      option.textContent = ward.name;
      select.appendChild(option);
    });
    select.value = "";
  }

  form.querySelectorAll("select[data-postal-province]").forEach(function (province) {
    var block = province.closest(".postal-address") || form;
    var ward = document.getElementById(province.id.replace("province_code", "ward_code"));
    province.addEventListener("change", function () {
      showPostage(block, province.value);
      if (!ward) return;
      if (!province.value) { fillWards(ward, []); return; }
      ward.disabled = true;
      fetch(ward.getAttribute("data-wards-url") + "?tinh=" + encodeURIComponent(province.value), {
        headers: { Accept: "application/json" },
      })
        .then(function (response) { return response.ok ? response.json() : []; })
        .then(function (wards) { fillWards(ward, wards); })
        .catch(function () { /* the server checks the ward on submit */ })
        .finally(function () { ward.disabled = false; });
    });
  });

  function toggle(block, shown) {
    block.hidden = !shown;
  }

  form.querySelectorAll("input[data-postal-toggle]").forEach(function (box) {
    var block = document.getElementById(box.getAttribute("data-postal-toggle"));
    if (!block) return;
    toggle(block, box.checked);
    box.addEventListener("change", function () { toggle(block, box.checked); });
  });

  form.querySelectorAll("[data-postal-shown-by]").forEach(function (block) {
    var name = block.getAttribute("data-postal-shown-by");
    var value = block.getAttribute("data-postal-value");
    var radios = form.querySelectorAll('input[name="' + name + '"]');
    function update() {
      var chosen = form.querySelector('input[name="' + name + '"]:checked');
      toggle(block, Boolean(chosen && chosen.value === value));
    }
    radios.forEach(function (radio) { radio.addEventListener("change", update); });
    update();
  });
})();
