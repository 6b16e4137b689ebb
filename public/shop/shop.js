// The shop's own script (a store owner's code, not part of hafrec). Under a strict CSP the
// queue line lives here instead of an inline <script>.
window.hafrec = window.hafrec || [];

(function () {
  var page = document.body.dataset;
  if (page.itemId) hafrec.push(['track', { type: 'view', itemId: page.itemId, domain: page.domain }]);

  // product.html?id=<id>: the one product page of the catalog, filled in from catalog.json
  // (the same file the tag reads, so the browser fetches it once).
  var product = document.getElementById('product');
  if (product) renderProduct(product, new URLSearchParams(location.search).get('id'));

  function renderProduct(article, id) {
    var catalog = article.dataset.catalog;
    fetch(catalog, { credentials: 'same-origin' })
      .then(function (response) { return response.json(); })
      .then(function (json) {
        var item = json.items.find(function (candidate) { return candidate.id === id; });
        if (!item) throw new Error('no product ' + id);
        showProduct(article, item);
      })
      .catch(function () { document.getElementById('product-title').textContent = 'Product not found'; });
  }

  function showProduct(article, item) {
    document.title = (item.title || 'Item ' + item.id) + ' · Pantry & Pan';
    document.body.dataset.itemId = item.id;
    document.body.dataset.domain = item.domain;
    document.getElementById('product-title').textContent = item.title || 'Item ' + item.id;
    if (item.sku) document.getElementById('product-sku').textContent = 'ASIN ' + item.sku;
    var cart = document.getElementById('add-to-cart');
    cart.dataset.addToCart = item.id;
    cart.dataset.domain = item.domain;
    cart.hidden = false;
    var other = article.dataset.domains.split(',').filter(function (d) { return d !== item.domain; })[0] || item.domain;
    var widgets = document.getElementById('product-widgets');
    widgets.append(widget(item.domain, 'More ' + item.domain + ' you may like'), widget(other, 'From our ' + other + ' aisle'));
    // Before the tag loads this only queues the event; after, it resolves once it is stored.
    var done = function () { document.body.dataset.tracked = item.id; };
    Promise.resolve(hafrec.push(['track', { type: 'view', itemId: item.id, domain: item.domain }])).then(done, done);
  }

  function widget(domain, heading) {
    var element = document.createElement('hafrec-recommendations');
    element.setAttribute('domain', domain);
    element.setAttribute('count', '4');
    element.setAttribute('heading', heading);
    return element;
  }

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
