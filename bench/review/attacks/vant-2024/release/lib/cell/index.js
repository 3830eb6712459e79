'use strict';
module.exports = { name: 'van-cell', props: { title: String, value: String }, render: function (h) { return h('div', { class: 'van-cell' }, [this.title, this.value]); } };
