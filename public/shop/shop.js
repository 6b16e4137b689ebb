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

  // Once the tag has loaded, push() returns a promise: report what really happened (it rejects
  // with a typed error, e.g. when this browser's hafrec database cannot be opened).
  function run(command, done, failed) {
    Promise.resolve(hafrec.push(command)).then(
      function () { status(done); },
      function (error) { status(failed + ': ' + error.message); }
    );
  }

  var actions = {
    'export-history': function () {
      run(['export'], 'Your history was downloaded.', 'Could not export your history');
    },
    'forget-history': function () {
      run(['forget'], 'Your history was deleted.', 'Could not delete your history');
    },
    'consent-off': function () {
      run(['consent', false], 'Personalization is off; nothing is stored.', 'Could not turn personalization off');
    },
    'consent-on': function () {
      run(['consent', true], 'Personalization is on.', 'Could not turn personalization on');
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
