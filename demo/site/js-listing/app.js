// Libya Desk (fictional demo): the story list is built in the browser from items.json, so a
// crawler that does not run JavaScript sees an empty list.
"use strict";

function storyItem(story) {
  const item = document.createElement("li");
  item.className = "story";
  const link = document.createElement("a");
  link.className = "js-article";
  link.href = story.url;
  link.textContent = story.title;
  const when = document.createElement("time");
  when.dateTime = story.date;
  when.textContent = story.date;
  const summary = document.createElement("p");
  summary.textContent = story.summary;
  item.append(link, " ", when, summary);
  return item;
}

async function loadStories() {
  const status = document.getElementById("status");
  const list = document.getElementById("stories");
  try {
    const response = await fetch("/js-listing/items.json", { headers: { Accept: "application/json" } });
    if (!response.ok) {
      throw new Error("HTTP " + response.status);
    }
    const data = await response.json();
    for (const story of data.stories) {
      list.append(storyItem(story));
    }
    status.remove();
  } catch (error) {
    status.textContent = "The stories could not be loaded (" + error.message + ").";
  }
}

document.addEventListener("DOMContentLoaded", loadStories);
