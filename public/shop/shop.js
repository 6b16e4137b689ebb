// The shop's own script (a store owner's code, not part of hafrec). Under a strict CSP the
// queue line lives here instead of an inline <script>.
window.hafrec = window.hafrec || [];

(function () {
  var page = document.body.dataset;
  if (page.itemId) hafrec.push(['track', { type: 'view', itemId: page.itemId, domain: page.domain }]);

  function status(text) {
    var out = document.getElementById('privacy-status');
    if (out) out.textContent = text;
  }

  var actions = {
    'export-history': function () {
      hafrec.push(['export']);
      status('Your history was downloaded.');
    },
    'forget-history': function () {
      hafrec.push(['forget']);
      status('Your history was deleted.');
    },
    'consent-off': function () {
      hafrec.push(['consent', false]);
      status('Personalization is off; nothing is stored.');
    },
    'consent-on': function () {
      hafrec.push(['consent', true]);
      status('Personalization is on.');
    },
  };

  document.addEventListener('click', function (event) {
    var target = event.target instanceof Element ? event.target : null;
    var cart = target && target.closest('[data-add-to-cart]');
    if (cart) {
      hafrec.push(['track', { type: 'add_to_cart', itemId: cart.dataset.addToCart, domain: cart.dataset.domain }]);
      cart.textContent = 'Added to cart';
    }
    var action = target && target.id && actions[target.id];
    if (action) action();
  });
})();
