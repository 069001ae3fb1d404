package example;

import java.nio.file.Path;
import java.util.List;
import org.recsysrl.api.RecommendRequest;
import org.recsysrl.api.Recommender;
import org.recsysrl.api.ScoredItem;

/** Loads a checkpoint and prints the top 5 items for a user, then for that user after two more items. */
public class Example {
    public static void main(String[] args) {
        Recommender model = Recommender.load(Path.of(args[0]));
        String user = args.length > 1 ? args[1] : "0";
        System.out.println(model.info().algorithm() + " model, " + model.itemCount() + " items");
        for (ScoredItem item : model.recommend(RecommendRequest.forUser(user, 5))) {
            System.out.println("user " + user + ": item " + item.id() + " score " + item.score());
        }
        List<ScoredItem> next = model.recommend(new RecommendRequest(user, List.of("1", "2"), null, null, 5));
        System.out.println("after items 1 and 2: " + next.stream().map(ScoredItem::id).toList());
    }
}
